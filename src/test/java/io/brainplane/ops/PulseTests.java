package io.brainplane.ops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.ops.internal.PulseService;
import io.brainplane.ops.internal.PulseSummarizer;
import io.brainplane.ops.internal.PulseSummary;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class PulseTests extends IntegrationTest {

	@Autowired
	PulseService pulses;

	@Test
	void manualPulseIsRecordedWithItsSummaryAndListedNewestFirst() {
		Api.Response first = api().post("/brain/pulses", null);
		Api.Response second = api().post("/brain/pulses", null);
		assertThat(second.status()).as(second.toString()).isEqualTo(201);
		JsonNode pulse = second.json();
		assertThat(pulse.get("kind").asText()).isEqualTo("manual");
		assertThat(pulse.get("at").asText()).isNotBlank();
		assertThat(pulse.get("delivered").asBoolean()).isFalse();
		assertThat(pulse.get("error").asText()).contains("brain.pulse.webhook-url");
		JsonNode summary = pulse.get("summary");
		assertThat(summary.get("text").asText()).startsWith("Brainplane manual pulse: ")
			.contains("rollback")
			.contains("since the last pulse");
		assertThat(summary.has("hitRate")).isTrue();
		assertThat(summary.has("backups")).isTrue();
		assertThat(summary.get("since").asText()).isEqualTo(first.json().get("at").asText());

		JsonNode listed = api().get("/brain/pulses?limit=2").json().get("pulses");
		assertThat(listed).hasSize(2);
		assertThat(listed.get(0).get("id").asLong()).isEqualTo(pulse.get("id").asLong());
		assertThat(listed.get(1).get("id").asLong()).isEqualTo(first.json().get("id").asLong());
		assertThat(listed.get(0).get("error").asText()).contains("webhook");
	}

	@Autowired
	PulseSummarizer summarizer;

	@Test
	void summaryCountsTheHitRateSearchesAndSuccessfulBackupsSinceThePreviousPulse() {
		// Rows dated in the future, after a "previous pulse" in the future too, so that
		// records other tests write meanwhile fall outside the period.
		java.time.Instant previous = java.time.Instant.now().plus(java.time.Duration.ofDays(1000));
		java.sql.Timestamp inside = java.sql.Timestamp.from(previous.plusSeconds(60));
		String insert = """
				insert into rag_hits (query_id, at, version, query_sha256, k, grp, result_count, top_score, relevance,
				                      hit, feedback, latency_ms)
				values (gen_random_uuid(), ?, 1, 'x', 10, 'chunk', 1, 1, 1, ?, ?, 1)
				""";
		this.jdbc.sql(insert).params(inside, true, null).update();
		this.jdbc.sql(insert).params(inside, true, false).update();
		this.jdbc.sql(insert).params(inside, false, null).update();
		this.jdbc.sql(insert).params(inside, false, true).update();
		this.jdbc.sql("""
				insert into brain_backup (id, state, trigger, started_at, finished_at) values
				('pulse-test-ok', 'SUCCEEDED', 'manual', ?, ?), ('pulse-test-failed', 'FAILED', 'manual', ?, ?)
				""").params(inside, inside, inside, inside).update();
		try {
			PulseSummary summary = this.summarizer.summarize("manual", previous);
			assertThat(summary.hitRate()).isEqualTo(0.5);
			assertThat(summary.searches()).isEqualTo(4);
			assertThat(summary.p95Ms()).isEqualTo(1.0);
			assertThat(summary.backups()).isEqualTo(1);
			assertThat(summary.text()).contains("hit rate 0.50").contains("backups 1");
		}
		finally {
			this.jdbc.sql("delete from rag_hits where at = ?").param(inside).update();
			this.jdbc.sql("delete from brain_metrics where minute = date_trunc('minute', ?::timestamptz)")
				.param(inside)
				.update();
			this.jdbc.sql("delete from brain_backup where id like 'pulse-test-%'").update();
		}
	}

	@Test
	void pulseListLimitOutOfRangeIsProblem() {
		Api.Response response = api().get("/brain/pulses?limit=0");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("type").asText()).endsWith("/invalid-request");
	}

	@Test
	void scheduledPulseRunsOnceWithinTheDedupeWindow() {
		this.jdbc.sql("delete from pulse_logs where kind = 'morning'").update();
		assertThat(this.pulses.scheduled("morning")).isPresent();
		assertThat(this.pulses.scheduled("morning")).isEmpty();
		assertThat(this.jdbc.sql("select count(*) from pulse_logs where kind = 'morning'").query(Long.class).single())
			.isEqualTo(1);
	}

	@Test
	void scheduledPulseIsSkippedWhileAnotherReplicaHoldsTheLock() throws Exception {
		this.jdbc.sql("delete from pulse_logs where kind = 'evening'").update();
		TestDatabase.Coordinates database = TestDatabase.get();
		try (Connection other = DriverManager.getConnection(database.url(), database.username(), database.password());
				Statement statement = other.createStatement()) {
			other.setAutoCommit(false);
			try (ResultSet locked = statement
				.executeQuery("select pg_try_advisory_xact_lock(hashtext('brain.pulse'))")) {
				assertThat(locked.next() && locked.getBoolean(1)).isTrue();
			}
			assertThat(this.pulses.scheduled("evening")).isEmpty();
			other.commit();
		}
		assertThat(this.pulses.scheduled("evening")).isPresent();
	}

}
