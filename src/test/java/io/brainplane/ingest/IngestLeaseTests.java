package io.brainplane.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.brainplane.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leases of ingestion jobs when the worker running a job dies: another takes it over when
 * the lease runs out, which counts an attempt, and a job abandoned on every attempt (one
 * that kills its JVM) ends FAILED instead of going round forever. The kill -9 cases are
 * in {@code io.brainplane.faults.KillTests}.
 */
class IngestLeaseTests extends IntegrationTest {

	@Test
	void anAbandonedJobIsTakenOverByAWorkerOfItsOwnAndCountsAnAttempt() {
		long job = abandonedJob(1);
		await().atMost(Duration.ofSeconds(30)).until(() -> !state(job).equals("RUNNING"));
		Map<String, Object> row = row(job);
		assertThat(row.get("state")).isEqualTo("DONE");
		assertThat(row.get("attempts")).isEqualTo(2);
		assertThat((String) row.get("owner")).matches("replica-[0-9a-f-]{36}/worker-[0-9]+");
	}

	@Autowired
	private MeterRegistry meters;

	@Test
	void aJobAbandonedOnEveryAttemptEndsFailed() {
		double failures = this.meters.counter("brain.ingest.job.failures").count();
		long job = abandonedJob(5);
		await().atMost(Duration.ofSeconds(30)).until(() -> !state(job).equals("RUNNING"));
		Map<String, Object> row = row(job);
		assertThat(row.get("state")).isEqualTo("FAILED");
		assertThat(row.get("attempts")).isEqualTo(5);
		assertThat((String) row.get("error")).contains("abandoned 5 times");
		assertThat(this.meters.counter("brain.ingest.job.failures").count()).isEqualTo(failures + 1);
		long version = (Long) row.get("version");
		assertThat(api().get("/brain/versions/" + version).json().at("/progress/state").asText()).isEqualTo("FAILED");
	}

	/**
	 * A job as a worker that died mid-way leaves it: RUNNING, under a lease that ran out.
	 */
	private long abandonedJob(int attempts) {
		long version = createVersion("none");
		assertThat(api()
			.put("/brain/versions/" + version + "/documents",
					Map.of("documents", List.of(doc(unique("d"), "Leases", "A job whose worker died."))))
			.status()).isEqualTo(200);
		awaitIngested(version, Duration.ofSeconds(60));
		long job = this.jdbc.sql("select id from ingest_job where version = ?")
			.param(version)
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				update ingest_job set state = 'RUNNING', owner = 'replica-dead/worker-1', attempts = ?,
				       lease_until = now() - interval '1 second', finished_at = null
				where id = ?
				""").params(attempts, job).update();
		return job;
	}

	private String state(long job) {
		return (String) row(job).get("state");
	}

	private Map<String, Object> row(long job) {
		return this.jdbc.sql("select state, attempts, owner, error, version from ingest_job where id = ?")
			.param(job)
			.query()
			.singleRow();
	}

}
