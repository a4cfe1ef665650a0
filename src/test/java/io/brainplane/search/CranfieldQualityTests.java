package io.brainplane.search;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.embed.EmbeddingProvider;
import io.brainplane.embed.Vectors;
import io.brainplane.index.VersionRef;
import io.brainplane.support.Api;
import io.brainplane.support.Cranfield;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.Rankings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import io.brainplane.search.internal.QueryFactory;
import io.brainplane.search.internal.QueryVectors;
import io.brainplane.search.internal.VersionIndex;
import io.brainplane.search.internal.ResultCache;
import io.brainplane.search.internal.SearchProperties;
import io.brainplane.search.internal.LocalIndexes;
import io.brainplane.search.HitProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrieval quality of lexical, semantic and hybrid search on the Cranfield collection (a
 * copy lives in src/test/resources/datasets/cranfield, with its README): a guard against
 * analysis, embedding or ranking changes that make answers worse. Figures are recorded in
 * docs/performance.md.
 */
class CranfieldQualityTests extends IntegrationTest {

	@Autowired
	private LocalIndexes indexes;

	@Autowired
	private ResultCache cache;

	@Autowired
	private HitProperties verdict;

	@Autowired
	private QueryVectors vectors;

	@Autowired
	private EmbeddingProvider embeddings;

	/** Questions the collection (1960s aerodynamics) has no answer for. */
	private static final List<String> OFF_TOPIC = Cranfield.offTopic();

	@Test
	void everyModeRanksJudgedDocumentsHighOnCranfield() throws IOException {
		long version = createVersion("none");
		// Two Cranfield abstracts are empty; the API rightly refuses blank content.
		List<String> lines = Cranfield.documents();
		for (int from = 0; from < lines.size(); from += 1000) {
			String body = String.join("\n", lines.subList(from, Math.min(lines.size(), from + 1000)));
			Api.Response put = api().send("PUT", "/brain/versions/" + version + "/documents", body,
					"application/x-ndjson");
			assertThat(put.status()).as(put.toString()).isEqualTo(200);
		}
		JsonNode ingested = awaitIngested(version, Duration.ofMinutes(2));
		assertThat(ingested.at("/progress/state").asText()).as(ingested.toString()).isEqualTo("DONE");
		assertThat(api().post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
		activate(version);

		Map<String, Map<String, Integer>> judgments = Cranfield.judgments();
		Map<String, String> queries = Cranfield.queries();

		Map<String, Rankings.Scores> scores = new LinkedHashMap<>();
		Map<String, int[]> verdicts = new LinkedHashMap<>();
		for (String mode : List.of("lexical", "semantic", "hybrid")) {
			int[] hits = new int[2];
			verdicts.put(mode, hits);
			for (String offTopic : OFF_TOPIC) {
				hits[1] += api()
					.get("/brain/search?k=10&mode=" + mode + "&q="
							+ URLEncoder.encode(offTopic, StandardCharsets.UTF_8))
					.json()
					.get("hit")
					.asBoolean() ? 1 : 0;
			}
			Map<String, List<String>> ranked = new LinkedHashMap<>();
			for (Map.Entry<String, String> query : queries.entrySet()) {
				if (!judgments.containsKey(query.getKey())) {
					continue;
				}
				Api.Response response = api().get("/brain/search?group=document&k=10&mode=" + mode + "&q="
						+ URLEncoder.encode(query.getValue(), StandardCharsets.UTF_8));
				assertThat(response.json().get("mode").asText()).isEqualTo(mode);
				hits[0] += response.json().get("hit").asBoolean() ? 1 : 0;
				List<String> keys = new ArrayList<>();
				response.json().get("results").forEach((hit) -> keys.add(hit.get("documentKey").asText()));
				ranked.put(query.getKey(), keys);
			}
			scores.put(mode, Rankings.score(ranked, judgments));
			System.out.printf("Cranfield %s: %s; hits: %d of %d on-topic, %d of %d off-topic%n", mode, scores.get(mode),
					hits[0], ranked.size(), hits[1], OFF_TOPIC.size());
		}
		// Linear fusion of the same rankings, through a service configured for it.
		SearchService linear = new SearchService(this.indexes, this.cache,
				new SearchProperties(0, Duration.ofMinutes(1), 256, SearchProperties.Fusion.LINEAR, 0.5), this.verdict,
				this.vectors, (event) -> {
				}, this.clock, new SimpleMeterRegistry());
		VersionRef served = this.indexes.serving().orElseThrow();
		Map<String, List<String>> linearRanked = new LinkedHashMap<>();
		for (Map.Entry<String, String> query : queries.entrySet()) {
			if (judgments.containsKey(query.getKey())) {
				linearRanked.put(query.getKey(), linear
					.searchVersion(served, query.getValue(), 10, io.brainplane.search.SearchGroup.DOCUMENT, "hybrid")
					.stream()
					.map(SearchHit::documentKey)
					.toList());
			}
		}
		Rankings.Scores linearScores = Rankings.score(linearRanked, judgments);
		System.out.printf("Cranfield hybrid-linear (w=0.5): %s%n", linearScores);
		String scoresFile = System.getProperty("cranfield.scores");
		if (scoresFile != null) {
			writeScores(Path.of(scoresFile), queries);
		}
		// The verdicts: meaning tells on-topic from off-topic questions.
		assertThat(verdicts.get("lexical")[0]).as("lexical hits on-topic").isGreaterThanOrEqualTo(215);
		assertThat(verdicts.get("hybrid")[0]).as("hybrid hits on-topic").isGreaterThanOrEqualTo(220);
		assertThat(verdicts.get("hybrid")[1]).as("hybrid hits off-topic (of 40)").isLessThanOrEqualTo(2);
		Rankings.Scores lexical = scores.get("lexical");
		assertThat(lexical.ndcgAt10()).as("lexical nDCG@10").isGreaterThanOrEqualTo(0.369);
		assertThat(lexical.mrrAt10()).as("lexical MRR@10").isGreaterThan(0.53);
		assertThat(lexical.hitAt5()).as("lexical hit@5").isGreaterThan(0.75);
		Rankings.Scores semantic = scores.get("semantic");
		Rankings.Scores hybrid = scores.get("hybrid");
		assertThat(semantic.ndcgAt10()).as("semantic nDCG@10").isGreaterThan(0.34);
		assertThat(semantic.hitAt5()).as("semantic hit@5").isGreaterThan(0.77);
		assertThat(hybrid.ndcgAt10()).as("hybrid beats lexical on nDCG@10").isGreaterThan(lexical.ndcgAt10() + 0.02);
		assertThat(hybrid.mrrAt10()).as("hybrid MRR@10").isGreaterThanOrEqualTo(lexical.mrrAt10());
		assertThat(hybrid.hitAt5()).as("hybrid hit@5").isGreaterThan(0.8);
		// linear fusion (measured 0.418 with bge-small-en-v1.5, 0.400 with
		// all-MiniLM-L6-v2,
		// docs/performance.md)
		assertThat(linearScores.ndcgAt10()).as("linear fusion beats lexical on nDCG@10")
			.isGreaterThan(lexical.ndcgAt10() + 0.02);
	}

	/**
	 * With {@code -Dcranfield.scores=FILE}: for every question (the judged ones, then the
	 * off-topic ones as {@code off<n>}), the BM25 score and the cosine of every chunk of
	 * the served version (the query vector as searches embed it, and as a passage,
	 * without a query instruction), so that fusion variants can be replayed offline
	 * ({@code bench/quality/fusion.py}, docs/performance.md). Big-endian: the chunk
	 * count, each chunk's document key (modified UTF-8), the question count, then per
	 * question its id, the most its terms can score, and three float arrays (BM25,
	 * cosine, cosine without instruction).
	 */
	private void writeScores(Path file, Map<String, String> queries) throws IOException {
		VersionIndex index = this.indexes.acquireServing().orElseThrow();
		try {
			List<VersionIndex.Ranked> all = index.rank(new MatchAllDocsQuery(), 100_000, false);
			int[] docs = all.stream().mapToInt(VersionIndex.Ranked::doc).toArray();
			List<SearchHit> chunks = index.hits(all, new float[docs.length]);
			Map<String, String> asked = new LinkedHashMap<>();
			Map<String, Map<String, Integer>> judged = Cranfield.judgments();
			queries.forEach((id, text) -> {
				if (judged.containsKey(id)) {
					asked.put(id, text);
				}
			});
			for (int i = 0; i < OFF_TOPIC.size(); i++) {
				asked.put("off" + i, OFF_TOPIC.get(i));
			}
			QueryFactory factory = new QueryFactory(256);
			try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
				out.writeInt(docs.length);
				for (SearchHit chunk : chunks) {
					out.writeUTF(chunk.documentKey());
				}
				out.writeInt(asked.size());
				for (Map.Entry<String, String> question : asked.entrySet()) {
					out.writeUTF(question.getKey());
					Set<String> terms = factory.terms(question.getValue());
					Query query = factory.create(terms);
					out.writeDouble((query != null) ? index.maxTextScore(terms) : 0);
					float[] bm25 = (query != null) ? index.scores(query, docs) : new float[docs.length];
					float[] asQuery = index.cosines(this.vectors.embed(index.model(), question.getValue()), docs);
					float[] asPassage = index
						.cosines(Vectors.normalize(this.embeddings.embed(List.of(question.getValue())).get(0)), docs);
					for (float[] values : List.of(bm25, asQuery, asPassage)) {
						for (float value : values) {
							out.writeFloat(value);
						}
					}
				}
			}
		}
		finally {
			index.release();
		}
	}

}
