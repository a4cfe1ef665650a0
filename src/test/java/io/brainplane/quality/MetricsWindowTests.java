package io.brainplane.quality;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.quality.internal.MetricsRollup;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsWindowTests extends IntegrationTest {

	@Autowired
	private MetricsRollup rollup;

	@Test
	void windowsAndPerVersionFiguresMatchHandComputedValues() {
		long seeded = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000);
		long other = seeded + 1;
		Instant now = Instant.now();
		// version, when, latency, automatic hit, feedback
		seed(seeded, minutesBefore(now, 30), 10, true, null);
		seed(seeded, minutesBefore(now, 20), 50, false, true);
		seed(seeded, minutesBefore(now, 10), 200, false, null);
		seed(seeded, minutesBefore(now, 300), 800, true, null);
		seed(seeded, minutesBefore(now, 300), 20, false, null);
		seed(seeded, minutesBefore(now, 30 * 60), 5000, true, null);
		seed(other, minutesBefore(now, 15), 30, true, null);

		JsonNode hour = figures("1h", seeded);
		assertThat(hour.get("requests").asLong()).isEqualTo(3);
		assertThat(hour.get("p50Ms").asDouble()).isEqualTo(50);
		assertThat(hour.get("p95Ms").asDouble()).isEqualTo(200);
		assertThat(hour.get("hitRate").asDouble()).isEqualTo(2.0 / 3);
		assertThat(hour.get("autoHitRate").asDouble()).isEqualTo(1.0 / 3);
		assertThat(hour.get("judged").asLong()).isEqualTo(1);
		assertThat(hour.get("judgedHitRate").asDouble()).isEqualTo(1.0);

		JsonNode day = figures("24h", seeded);
		assertThat(day.get("requests").asLong()).isEqualTo(5);
		assertThat(day.get("p50Ms").asDouble()).isEqualTo(50);
		assertThat(day.get("p95Ms").asDouble()).isEqualTo(800);
		assertThat(day.get("hitRate").asDouble()).isEqualTo(3.0 / 5);
		assertThat(day.get("autoHitRate").asDouble()).isEqualTo(2.0 / 5);
		assertThat(day.get("judgedHitRate").asDouble()).isEqualTo(1.0);

		JsonNode single = figures("1h", other);
		assertThat(single.get("requests").asLong()).isEqualTo(1);
		assertThat(single.get("p50Ms").asDouble()).isEqualTo(30);
		assertThat(single.get("p95Ms").asDouble()).isEqualTo(30);
		assertThat(single.get("hitRate").asDouble()).isEqualTo(1.0);
		assertThat(single.get("judgedHitRate").isNull()).isTrue();

		// The windows are answered from the per-minute rollups: one row per minute.
		assertThat(this.jdbc.sql("select count(*), sum(requests) from brain_metrics where version = ?")
			.param(seeded)
			.query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
			.single()).containsExactly(5L, 6L);
	}

	@Test
	void windowTotalsAddUpTheVersionsAndCountRollbacks() {
		long first = sealedVersion("none", List.of(doc(unique("a"), "A", "Alpha content.")));
		long second = sealedVersion("none", List.of(doc(unique("b"), "B", "Beta content.")));
		activate(first);
		activate(second);
		long before = api().get("/brain/metrics?window=1h").json().get("rollbacks").asLong();
		assertThat(api().post("/brain/rollback", null).status()).isEqualTo(200);
		JsonNode metrics = api().get("/brain/metrics?window=1h").json();
		assertThat(metrics.get("window").asText()).isEqualTo("1h");
		assertThat(metrics.get("rollbacks").asLong()).isEqualTo(before + 1);
		long sum = 0;
		for (JsonNode version : metrics.get("byVersion")) {
			sum += version.get("requests").asLong();
		}
		assertThat(metrics.get("requests").asLong()).isEqualTo(sum);
		assertThat(metrics.has("p50Ms")).isTrue();
		assertThat(metrics.has("p95Ms")).isTrue();
		assertThat(metrics.has("judgedHitRate")).isTrue();
		long backups = metrics.get("backups").asLong();
		java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
		this.jdbc.sql("""
				insert into brain_backup (id, state, trigger, started_at, finished_at) values
				('metrics-test-ok', 'SUCCEEDED', 'manual', ?, ?), ('metrics-test-failed', 'FAILED', 'manual', ?, ?)
				""").params(now, now, now, now).update();
		try {
			assertThat(api().get("/brain/metrics?window=1h").json().get("backups").asLong()).isEqualTo(backups + 1);
		}
		finally {
			this.jdbc.sql("delete from brain_backup where id like 'metrics-test-%'").update();
		}
		assertThat(api().get("/brain/metrics?window=24h").json().get("requests").asLong())
			.isGreaterThanOrEqualTo(metrics.get("requests").asLong());
	}

	@Test
	void unknownWindowIsBadRequest() {
		Api.Response response = api().get("/brain/metrics?window=7d");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asText()).contains("1h or 24h");
	}

	@Test
	void rawRecordsOlderThanTheRetentionArePrunedButTheirRollupsStay() {
		long version = ThreadLocalRandom.current().nextLong(2_000_000, 3_000_000);
		String old = seed(version, minutesBefore(Instant.now(), 8 * 24 * 60), 40, true, null);
		String recent = seed(version, minutesBefore(Instant.now(), 6 * 24 * 60), 40, true, null);
		this.rollup.scheduled();
		assertThat(this.jdbc.sql("select query_id::text from rag_hits where version = ?")
			.param(version)
			.query(String.class)
			.list()).containsExactly(recent).doesNotContain(old);
		assertThat(this.jdbc.sql("select sum(requests) from brain_metrics where version = ?")
			.param(version)
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	private JsonNode figures(String window, long version) {
		JsonNode metrics = api().get("/brain/metrics?window=" + window).json();
		for (JsonNode figures : metrics.get("byVersion")) {
			if (figures.get("version").asLong() == version) {
				return figures;
			}
		}
		throw new AssertionError("no figures for version " + version + " in " + metrics);
	}

	private static Instant minutesBefore(Instant now, long minutes) {
		return now.minus(Duration.ofMinutes(minutes));
	}

	private String seed(long version, Instant at, double latencyMs, boolean hit, Boolean feedback) {
		String id = UUID.randomUUID().toString();
		this.jdbc.sql("""
				insert into rag_hits (query_id, at, version, client, query, query_sha256, k, grp, result_count,
				                      top_score, relevance, hit, feedback, latency_ms)
				values (?::uuid, ?, ?, 'seed', 'seeded', 'x', 10, 'chunk', 1, 1, 0.5, ?, ?, ?)
				""").params(id, Timestamp.from(at), version, hit, feedback, latencyMs).update();
		return id;
	}

}
