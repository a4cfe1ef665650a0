package io.brainplane.search.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;

/**
 * Small plain Lucene indexes for the segment store's tests: documents {@code doc-<i>}
 * with a stored key and a few hundred bytes of text, written and committed in one go.
 */
final class RiverIndexes {

	private RiverIndexes() {
	}

	/** Adds documents {@code from} .. {@code from + count - 1} and commits. */
	static void write(Path dir, IndexWriterConfig.OpenMode mode, int from, int count) throws IOException {
		write(dir, mode, null, from, count);
	}

	/**
	 * Deletes the document {@code deleted} (if not null and present: a new deletions file
	 * for its segment), adds documents {@code from} .. {@code from + count - 1} and
	 * commits.
	 */
	static void write(Path dir, IndexWriterConfig.OpenMode mode, String deleted, int from, int count)
			throws IOException {
		IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
		config.setOpenMode(mode);
		config.setUseCompoundFile(false);
		try (FSDirectory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
			if (deleted != null) {
				writer.deleteDocuments(new Term("key", deleted));
			}
			for (int i = from; i < from + count; i++) {
				Document doc = new Document();
				doc.add(new StringField("key", "doc-" + i, Field.Store.YES));
				doc.add(new TextField("text", ("River " + i + " runs past the mill and the meadow. ").repeat(20),
						Field.Store.YES));
				writer.addDocument(doc);
			}
			writer.commit();
		}
	}

}
