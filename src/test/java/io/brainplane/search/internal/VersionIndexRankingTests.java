package io.brainplane.search.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.brainplane.index.IndexProperties;
import io.brainplane.index.IndexableChunk;
import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchHit;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A lexical ranking stops counting hits once it holds its top n, its query reuses the
 * terms' text statistics the verdict needs and carries title statistics looked up through
 * each thread's kept term cursors: the results, scores and verdict statistic are exactly
 * those of Lucene's own search with every hit counted and every term looked up again. The
 * results' stored fields, read through each thread's kept readers, are Lucene's
 * documents', on any segment, from any thread.
 */
class VersionIndexRankingTests {

	private static final String[] WORDS = { "otter", "river", "stone", "water", "fish", "bank", "reed", "mud",
			"current", "pool", "heron", "willow", "bridge", "mill", "weir", "ford" };

	@TempDir
	Path dir;

	private final QueryFactory queries = new QueryFactory(256);

	@Test
	void topResultsAndTheVerdictStatisticAreLucenesExhaustiveOnes() throws IOException {
		Path path = this.dir.resolve("index");
		Random random = new Random(13);
		try (FSDirectory directory = FSDirectory.open(path);
				IndexWriter writer = new IndexWriter(directory, config())) {
			for (int i = 0; i < 3_000; i++) {
				writer.addDocument(IndexBuilder.document(new IndexableChunk(i, "doc-" + (i / 4), i % 4,
						words(random, 2), words(random, 40), "source", "{}", null)));
			}
			writer.commit();
		}
		VersionIndex index = VersionIndex.open(new VersionRef(1, "ranking"), path);
		try {
			IndexSearcher exhaustive = new IndexSearcher(index.reader());
			for (int q = 0; q < 200; q++) {
				Set<String> terms = this.queries.terms(words(random, 2 + random.nextInt(3)));
				List<VersionIndex.Ranked> ranked = index.rank(
						this.queries.create(terms, index.textStatistics(terms), index.titleStatistics(terms)), 10,
						false);
				ScoreDoc[] expected = exhaustive.search(this.queries.create(terms), 10).scoreDocs;
				assertThat(ranked).hasSize(expected.length);
				for (int i = 0; i < expected.length; i++) {
					assertThat(ranked.get(i).doc()).isEqualTo(expected[i].doc);
					assertThat(ranked.get(i).score()).isEqualTo(expected[i].score);
				}
				assertThat(index.maxTextScore(index.textStatistics(terms))).isEqualTo(idfSum(index, terms));
			}
		}
		finally {
			index.close(false);
		}
	}

	@Test
	void resultsReadThroughEachThreadsKeptReadersAreLucenesDocumentsOnEverySegment() throws Exception {
		Path path = this.dir.resolve("segments");
		Random random = new Random(17);
		try (FSDirectory directory = FSDirectory.open(path)) {
			// two segments of the brain's codec, then one of Lucene's (an index built
			// before BrainCodec), kept apart
			for (int segment = 0; segment < 3; segment++) {
				IndexWriterConfig config = config().setMergePolicy(NoMergePolicy.INSTANCE);
				if (segment == 2) {
					config.setCodec(Codec.getDefault());
				}
				try (IndexWriter writer = new IndexWriter(directory, config)) {
					for (int i = 0; i < 700; i++) {
						int id = segment * 1_000 + i;
						writer.addDocument(IndexBuilder
							.document(new IndexableChunk(id, "doc-" + id, i % 4, (i % 5 == 0) ? null : words(random, 2),
									words(random, (i % 50 == 0) ? 2_000 : 30 + random.nextInt(300)),
									(i % 3 == 0) ? null : "source-" + id, "{\"n\":" + id + "}", null)));
					}
				}
			}
		}
		VersionIndex index = VersionIndex.open(new VersionRef(1, "segments"), path);
		try {
			assertThat(index.segmentCount()).isEqualTo(3);
			List<Set<String>> queries = new ArrayList<>();
			for (int q = 0; q < 100; q++) {
				queries.add(this.queries.terms(words(random, 1 + random.nextInt(3))));
			}
			// what Lucene's own documents say, read once on this thread
			List<List<SearchHit>> expected = new ArrayList<>();
			StoredFields lucene = index.reader().storedFields();
			for (Set<String> terms : queries) {
				List<SearchHit> hits = new ArrayList<>();
				for (VersionIndex.Ranked ranked : index.rank(this.queries.create(terms), 20, false)) {
					Document doc = lucene.document(ranked.doc());
					hits.add(new SearchHit(doc.get(IndexFields.DOCUMENT_KEY), doc.get(IndexFields.TITLE),
							doc.getField(IndexFields.CHUNK_ID).numericValue().longValue(), ranked.score(),
							doc.get(IndexFields.TEXT), doc.get(IndexFields.SOURCE), doc.get(IndexFields.METADATA)));
				}
				assertThat(hits).isNotEmpty();
				expected.add(hits);
			}
			ExecutorService threads = Executors.newFixedThreadPool(4);
			try {
				List<Future<?>> runs = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					int start = t;
					runs.add(threads.submit(() -> {
						for (int round = 0; round < 5; round++) {
							for (int q = 0; q < queries.size(); q++) {
								int at = (q * 7 + start * 13 + round) % queries.size();
								Set<String> terms = queries.get(at);
								assertThat(index.search(this.queries.create(terms, index.textStatistics(terms),
										index.titleStatistics(terms)), 20, false))
									.isEqualTo(expected.get(at));
							}
						}
						return null;
					}));
				}
				for (Future<?> run : runs) {
					run.get();
				}
			}
			finally {
				threads.shutdownNow();
			}
		}
		finally {
			index.close(false);
		}
		assertThatExceptionOfType(AlreadyClosedException.class).isThrownBy(() -> index.textStatistics(Set.of("otter")));
	}

	/** The verdict statistic as it was computed before: each term's docFreq looked up. */
	private static double idfSum(VersionIndex index, Set<String> terms) throws IOException {
		long chunks = Math.max(1, index.reader().getDocCount(IndexFields.TEXT));
		double max = 0;
		for (String term : terms) {
			long containing = index.reader().docFreq(new Term(IndexFields.TEXT, term));
			max += Math.log(1 + (chunks - containing + 0.5) / (containing + 0.5));
		}
		return max;
	}

	private static String words(Random random, int count) {
		List<String> words = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			// skewed: early words are common, late ones rare, so scores tie and differ
			words.add(WORDS[(int) Math.min(WORDS.length - 1, Math.abs(random.nextGaussian()) * 5)]);
		}
		return String.join(" ", words);
	}

	private static IndexWriterConfig config() {
		IndexWriterConfig config = new IndexWriterConfig(BrainAnalyzers.forIndexing());
		config.setCodec(BrainCodec.writing(IndexProperties.VectorEncoding.FLOAT32));
		return config;
	}

}
