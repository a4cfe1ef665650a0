package io.brainplane.ingest.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seal waits for its version's jobs while they progress, and gives up only after
 * {@code brain.ingest.seal-wait} without progress: a seal sent right after a bulk upload
 * whose ingestion takes longer than that still answers once it is done. The job here is
 * another replica's (a row with its lease), advanced by the test as its heartbeats would.
 */
class SealWaitTests extends IntegrationTest {

	private static final Duration PATIENCE = Duration.ofSeconds(1);

	@Autowired
	private IngestionWork work;

	private final ScheduledExecutorService otherReplica = Executors.newSingleThreadScheduledExecutor();

	private long version;

	private long job;

	@BeforeEach
	void aJobRunningElsewhere() {
		this.version = createVersion("none");
		this.job = this.jdbc.sql("""
				insert into ingest_job (version, priority, state, documents, owner, lease_until, started_at)
				values (?, 0, 'RUNNING', 10, 'another-replica', now() + interval '1 hour', now())
				returning id
				""").param(this.version).query(Long.class).single();
	}

	@AfterEach
	void removeIt() {
		this.otherReplica.shutdownNow();
		api().delete("/brain/versions/" + this.version);
	}

	@Test
	void aSealKeepsWaitingPastItsPatienceWhileTheJobsProgress() {
		AtomicInteger beats = new AtomicInteger();
		this.otherReplica.scheduleWithFixedDelay(() -> {
			if (beats.incrementAndGet() < 15) {
				this.jdbc.sql("update ingest_job set chunks = chunks + 1 where id = ?").param(this.job).update();
			}
			else {
				this.jdbc.sql("update ingest_job set state = 'DONE', finished_at = now() where id = ?")
					.param(this.job)
					.update();
			}
		}, 100, 100, TimeUnit.MILLISECONDS);
		long started = System.nanoTime();

		assertThat(this.work.awaitIdle(this.version, PATIENCE)).as("the job finished while the seal waited").isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited past its patience")
			.isGreaterThan(PATIENCE);
	}

	@Test
	void aSealGivesUpAfterItsPatienceWithoutProgress() {
		assertThat(this.work.awaitIdle(this.version, Duration.ofMillis(300))).isFalse();
		assertThat(
				this.jdbc.sql("select state from ingest_job where id = ?").param(this.job).query(String.class).single())
			.isEqualTo("RUNNING");
	}

}
