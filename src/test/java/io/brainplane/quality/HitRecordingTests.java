package io.brainplane.quality;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.platform.Sha256;
import io.brainplane.quality.internal.HitRecord;
import io.brainplane.quality.internal.HitStore;
import io.brainplane.search.HitProperties;
import io.brainplane.support.Api;
import io.brainplane.support.Hits;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HitRecordingTests extends IntegrationTest {

	@Test
	void everySearchIsRecordedWithItsAutomaticVerdict() {
		long version = otterVersion();
		String hit = search("otters sleeping river").get("queryId").asText();
		JsonNode weak = search("otters zeppelin xylophone quasar nebula");
		String none = search("chromodynamics").get("queryId").asText();
		assertThat(weak.get("results")).as("a weak match still returns results").isNotEmpty();
		assertThat(weak.get("hit").asBoolean()).as("but its best result does not clear min-score").isFalse();

		awaitRecorded(hit, weak.get("queryId").asText(), none);
		Map<String, Object> row = row(hit);
		assertThat(row).containsEntry("version", version)
			.containsEntry("hit", true)
			.containsEntry("query", "otters sleeping river")
			.containsEntry("grp", "chunk")
			.containsEntry("mode", "lexical")
			.containsEntry("k", 10);
		assertThat(row.get("client")).isNotNull();
		assertThat((Integer) row.get("result_count")).isPositive();
		assertThat((Float) row.get("relevance")).isGreaterThanOrEqualTo(0.2f).isLessThanOrEqualTo(1f);
		assertThat((Double) row.get("latency_ms")).isPositive();
		assertThat(row.get("query_sha256")).isEqualTo(Sha256.hex("otters sleeping river"));
		assertThat(row(weak.get("queryId").asText())).containsEntry("hit", false);
		assertThat((Float) row(weak.get("queryId").asText()).get("relevance")).isLessThan(0.2f);
		assertThat(row(none)).containsEntry("hit", false).containsEntry("result_count", 0);
	}

	@Test
	void feedbackOverridesTheVerdictAndMovesTheJudgedHitRate() {
		long version = otterVersion();
		String first = search("otters river").get("queryId").asText();
		String second = search("otters hands").get("queryId").asText();
		String miss = search("chromodynamics").get("queryId").asText();
		// Immediately: the search may still be waiting in the queue, and must count as
		// known.
		Api.Response judged = api().post("/brain/feedback",
				Map.of("queryId", miss, "relevant", true, "documentKey", "whatever"));
		assertThat(judged.status()).as(judged.toString()).isEqualTo(204);
		awaitRecorded(first, second, miss);
		assertThat(row(miss)).containsEntry("hit", false)
			.containsEntry("feedback", true)
			.containsEntry("feedback_document", "whatever");

		JsonNode figures = versionFigures(version);
		assertThat(figures.get("requests").asLong()).isEqualTo(3);
		assertThat(figures.get("hitRate").asDouble()).isEqualTo(1.0);
		assertThat(figures.get("autoHitRate").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(figures.get("judged").asLong()).isEqualTo(1);
		assertThat(figures.get("judgedHitRate").asDouble()).isEqualTo(1.0);

		assertThat(api().post("/brain/feedback", Map.of("queryId", first, "relevant", false)).status()).isEqualTo(204);
		figures = versionFigures(version);
		assertThat(figures.get("hitRate").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(figures.get("judged").asLong()).isEqualTo(2);
		assertThat(figures.get("judgedHitRate").asDouble()).isEqualTo(0.5);
	}

	@Test
	void feedbackOnAnUnknownSearchIsNotFoundAndBadFeedbackIsRejected() {
		Api.Response unknown = api().post("/brain/feedback",
				Map.of("queryId", UUID.randomUUID().toString(), "relevant", true));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(unknown.json().get("detail").asText()).contains("queryId");
		Api.Response malformed = api().post("/brain/feedback", Map.of("queryId", "nope", "relevant", true));
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().get("errors").get(0).get("field").asText()).isEqualTo("queryId");
		Api.Response missing = api().post("/brain/feedback", Map.of("queryId", UUID.randomUUID().toString()));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("relevant");
	}

	@Test
	void withoutQueryTextOnlyTheQueryHashIsStored() {
		HitStore store = new HitStore(this.jdbc,
				new HitProperties(true, false, Duration.ofDays(7), 10, 10, Duration.ofSeconds(30), 0.2, 0.35));
		String id = UUID.randomUUID().toString();
		store.insert(List.of(new HitRecord(id, java.time.Instant.now(), 42, "client", "secret question", 10, "chunk", 1,
				3.5f, 0.4f, true, 1.5, "lexical")));
		Map<String, Object> row = row(id);
		assertThat(row.get("query")).isNull();
		assertThat(row).containsEntry("query_sha256", Sha256.hex("secret question"))
			.containsEntry("relevance", 0.4f)
			.containsEntry("hit", true);
	}

	private JsonNode search(String q) {
		Api.Response response = api().get("/brain/search?mode=lexical&q=" + q.replace(' ', '+'));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private JsonNode versionFigures(long version) {
		return Hits.versionFigures(api().get("/brain/metrics?window=1h").json(), version);
	}

	private void awaitRecorded(String... queryIds) {
		Hits.awaitRecorded(this.jdbc, queryIds);
	}

	private Map<String, Object> row(String queryId) {
		return this.jdbc.sql("select * from rag_hits where query_id = ?::uuid").param(queryId).query().singleRow();
	}

}
