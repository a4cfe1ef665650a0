package io.brainplane.search.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.brainplane.index.IndexProperties;
import io.brainplane.index.IndexableChunk;
import io.brainplane.index.VersionRef;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lexical ranking stops counting hits once it holds its top n, and its query reuses the
 * terms' text statistics the verdict needs: the results, scores and verdict statistic are
 * exactly those of Lucene's own search with every hit counted and every term looked up
 * again.
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
				List<VersionIndex.Ranked> ranked = index.rank(this.queries.create(terms, index.textStatistics(terms)),
						10, false);
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
