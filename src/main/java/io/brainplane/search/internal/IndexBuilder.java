package io.brainplane.search.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.brainplane.index.VersionRef;
import io.brainplane.ingest.ChunkSource;
import io.brainplane.ingest.IndexableChunk;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Builds a version's local index (BM25 fields, and an HNSW graph of the chunk vectors
 * when the version has a model) by streaming its chunks from PostgreSQL into a temporary
 * directory, merging it to one segment (it never changes again) and renaming it into
 * place. A directory under its final name is therefore always complete.
 */
@Component
public class IndexBuilder {

	private static final Logger log = LoggerFactory.getLogger(IndexBuilder.class);

	private final ChunkSource chunks;

	IndexBuilder(ChunkSource chunks) {
		this.chunks = chunks;
	}

	void build(VersionRef ref, Path target) throws IOException {
		long started = System.nanoTime();
		Path temporary = target.resolveSibling(".tmp-" + ref.directoryName() + "-" + UUID.randomUUID());
		int[] count = { 0, 0 };
		Optional<String> model = this.chunks.embeddingModel(ref.version());
		try {
			try (FSDirectory directory = FSDirectory.open(temporary);
					IndexWriter writer = new IndexWriter(directory, config())) {
				this.chunks.forEachChunk(ref.version(), (chunk) -> {
					add(writer, chunk);
					count[0]++;
					count[1] += (chunk.vector() != null) ? 1 : 0;
				});
				writer.forceMerge(1);
				model.ifPresent((name) -> writer.setLiveCommitData(Map.of(IndexFields.MODEL_KEY, name).entrySet()));
				writer.commit();
			}
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException ex) {
				// Built concurrently by another process sharing the data directory: same
				// content.
				FileSystemUtils.deleteRecursively(temporary);
			}
		}
		catch (IOException | RuntimeException ex) {
			FileSystemUtils.deleteRecursively(temporary);
			throw ex;
		}
		log.info("Built local index of version {} ({} chunks, {} vectors) in {} ms", ref.version(), count[0], count[1],
				(System.nanoTime() - started) / 1_000_000);
	}

	private static IndexWriterConfig config() {
		IndexWriterConfig config = new IndexWriterConfig(BrainAnalyzers.forIndexing());
		config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
		config.setRAMBufferSizeMB(128);
		config.setCodec(VectorFormat.codec());
		config.setUseCompoundFile(false);
		return config;
	}

	private static void add(IndexWriter writer, IndexableChunk chunk) {
		Document doc = new Document();
		doc.add(new StoredField(IndexFields.CHUNK_ID, chunk.chunkId()));
		doc.add(new StringField(IndexFields.DOCUMENT_KEY, chunk.documentKey(), Field.Store.YES));
		doc.add(new SortedDocValuesField(IndexFields.DOCUMENT_KEY, new BytesRef(chunk.documentKey())));
		if (chunk.title() != null) {
			doc.add(new TextField(IndexFields.TITLE, chunk.title(), Field.Store.YES));
		}
		doc.add(new TextField(IndexFields.TEXT, chunk.text(), Field.Store.YES));
		if (chunk.source() != null) {
			doc.add(new StoredField(IndexFields.SOURCE, chunk.source()));
		}
		doc.add(new StoredField(IndexFields.METADATA, chunk.metadata()));
		if (chunk.vector() != null) {
			// unit length, so the dot product is the cosine
			doc.add(new KnnFloatVectorField(IndexFields.VECTOR, chunk.vector(), VectorSimilarityFunction.DOT_PRODUCT));
		}
		try {
			writer.addDocument(doc);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
