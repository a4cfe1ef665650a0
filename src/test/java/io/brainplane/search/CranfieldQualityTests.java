package io.brainplane.search;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import io.brainplane.search.internal.LocalIndexes;
import io.brainplane.search.internal.QueryFactory;
import io.brainplane.search.internal.QueryVectors;
import io.brainplane.search.internal.ResultCache;
import io.brainplane.search.internal.SearchProperties;
import io.brainplane.search.internal.VersionIndex;
import io.brainplane.support.Api;
import io.brainplane.support.Cranfield;
import io.brainplane.support.Rankings;
import io.brainplane.support.RecordedEmbeddings;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.TestModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retrieval quality of lexical, semantic and hybrid search on the Cranfield collection (a
 * copy lives in src/test/resources/datasets/cranfield, with its README): a guard against
 * analysis, embedding or ranking changes that make answers worse. Figures are recorded in
 * docs/performance.md.
 * <p>
 * The figures are the shipped default model's (bge-small-en-v1.5), so this test runs on a
 * replica with that model ({@link TestModel#SHIPPED_ARG}) instead of the test context,
 * which embeds with the tests' faster one; on a database of its own, since a replica with
 * another model would fail this one's ingestion jobs. Its Cranfield chunks come from the
 * recording ({@link RecordedEmbeddings}); the test checks that ingestion took every one
 * from there and that a sample of them embedded live still matches it.
 */
class CranfieldQualityTests {

	/** Questions the collection (1960s aerodynamics) has no answer for. */
	private static final List<String> OFF_TOPIC = Cranfield.offTopic();

	private LocalIndexes indexes;

	private EmbeddingProvider embeddings;

	private QueryVectors vectors;

	@Test
	void everyModeRanksJudgedDocumentsHighOnCranfield() throws IOException {
		try (SecondReplica replica = SecondReplica.start(TestDatabase.createDatabase("cranfield_quality"),
				Files.createTempDirectory("cranfield-quality"), TestModel.SHIPPED_ARG)) {
			this.indexes = replica.bean(LocalIndexes.class);
			this.embeddings = replica.bean(EmbeddingProvider.class);
			this.vectors = replica.bean(QueryVectors.class);
			evaluate(replica);
		}
	}

	private void evaluate(SecondReplica replica) throws IOException {
		Api api = replica.api();
		RecordedEmbeddings recording = (RecordedEmbeddings) this.embeddings;
		assertThat(recording.model()).isEqualTo(TestModel.versionModel(TestModel.SHIPPED));
		long liveBefore = recording.embedded();
		Api.Response created = api.post("/brain/versions", Map.of("base", "none"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		long version = created.json().get("version").asLong();
		// Two Cranfield abstracts are empty; the API rightly refuses blank content.
		List<String> lines = Cranfield.documents();
		for (int from = 0; from < lines.size(); from += 1000) {
			String body = String.join("\n", lines.subList(from, Math.min(lines.size(), from + 1000)));
			Api.Response put = api.send("PUT", "/brain/versions/" + version + "/documents", body,
					"application/x-ndjson");
			assertThat(put.status()).as(put.toString()).isEqualTo(200);
		}
		await().atMost(Duration.ofMinutes(2))
			.until(() -> !api.get("/brain/versions/" + version)
				.json()
				.at("/progress/state")
				.asText()
				.matches("QUEUED|RUNNING"));
		JsonNode ingested = api.get("/brain/versions/" + version).json();
		assertThat(ingested.at("/progress/state").asText()).as(ingested.toString()).isEqualTo("DONE");
		assertThat(ingested.get("embeddingModel").asText()).isEqualTo(TestModel.versionModel(TestModel.SHIPPED));
		assertThat(recording.embedded() - liveBefore)
			.as("chunks the model embedded live: the recording of %s lacks texts ingestion cut; regenerate it: "
					+ "./mvnw -B test -Dtest=CranfieldVectorsTests -Dcranfield.vectors.write=true "
					+ "-Dbrain.test.embedding-model=%s", recording.model(), TestModel.SHIPPED)
			.isZero();
		assertRecordingMatchesTheModel(replica, recording, version);
		assertThat(api.post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
		assertThat(api.post("/brain/versions/" + version + "/activate", Map.of()).status()).isEqualTo(200);

		Map<String, Map<String, Integer>> judgments = Cranfield.judgments();
		Map<String, String> queries = Cranfield.queries();

		Map<String, Rankings.Scores> scores = new LinkedHashMap<>();
		Map<String, int[]> verdicts = new LinkedHashMap<>();
		for (String mode : List.of("lexical", "semantic", "hybrid")) {
			int[] hits = new int[2];
			verdicts.put(mode, hits);
			for (String offTopic : OFF_TOPIC) {
				hits[1] += api
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
				Api.Response response = api.get("/brain/search?group=document&k=10&mode=" + mode + "&q="
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
		// RRF of the same rankings (the default is linear), through a service configured
		// for it.
		SearchService rrf = new SearchService(this.indexes, replica.bean(ResultCache.class),
				new SearchProperties(0, Duration.ofMinutes(1), 256, SearchProperties.Fusion.RRF, 0.5),
				replica.bean(HitProperties.class), this.vectors, (event) -> {
				}, replica.bean(Clock.class), new SimpleMeterRegistry());
		VersionRef served = this.indexes.serving().orElseThrow();
		Map<String, List<String>> rrfRanked = new LinkedHashMap<>();
		for (Map.Entry<String, String> query : queries.entrySet()) {
			if (judgments.containsKey(query.getKey())) {
				rrfRanked.put(query.getKey(), rrf
					.searchVersion(served, query.getValue(), 10, io.brainplane.search.SearchGroup.DOCUMENT, "hybrid")
					.stream()
					.map(SearchHit::documentKey)
					.toList());
			}
		}
		Rankings.Scores rrfScores = Rankings.score(rrfRanked, judgments);
		System.out.printf("Cranfield hybrid-rrf: %s%n", rrfScores);
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
		// hybrid is linear fusion by default (measured 0.418 with bge-small-en-v1.5,
		// 0.400
		// with all-MiniLM-L6-v2; RRF 0.411 and 0.390, docs/performance.md)
		assertThat(rrfScores.ndcgAt10()).as("RRF beats lexical on nDCG@10").isGreaterThan(lexical.ndcgAt10() + 0.02);
		assertThat(hybrid.ndcgAt10()).as("linear fusion, the default, beats RRF on nDCG@10")
			.isGreaterThan(rrfScores.ndcgAt10());
	}

	/**
	 * A random sample of the version's chunks, embedded live as ingestion embeds them
	 * (the title, a blank line, the chunk): the model still gives the recorded vectors.
	 */
	private static void assertRecordingMatchesTheModel(SecondReplica replica, RecordedEmbeddings recording,
			long version) {
		long seed = System.nanoTime();
		List<Map<String, Object>> sample = replica.bean(JdbcClient.class).sql("""
				select encode(c.embed_sha256, 'hex') as sha, coalesce(r.title || E'\\n\\n', '') || c.text as text
				from version_member m join document_revision r on r.id = m.revision_id
				join chunk c on c.revision_id = r.id
				where m.version = ? order by md5(c.id || ':' || ?) limit 8
				""").params(version, seed).query().listOfRows();
		assertThat(sample).hasSize(8);
		List<float[]> live = recording.live().embed(sample.stream().map((row) -> (String) row.get("text")).toList());
		for (int i = 0; i < sample.size(); i++) {
			float[] recorded = recording.recorded().get((String) sample.get(i).get("sha"));
			assertThat(recorded).as("a recorded vector for a chunk ingestion cut (seed %d)", seed).isNotNull();
			assertThat(RecordedEmbeddings.cosine(live.get(i), recorded))
				.as("cosine of the live and the recorded vector (seed %d); regenerate the recording", seed)
				.isGreaterThanOrEqualTo(RecordedEmbeddings.SAME_VECTOR);
		}
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
