package io.brainplane.ingest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.brainplane.embed.EmbeddingFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This replica's ingestion workers: {@code brain.ingest.workers} threads that claim jobs
 * (most urgent first), run them, and retry failures with exponential backoff. They wake
 * when this replica queues a job and otherwise look for work every {@code poll-interval}.
 * Stopping hands running jobs back to the queue, so a restart (of this or any replica)
 * resumes them.
 */
@Component
public class IngestWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(IngestWorkers.class);

	private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

	private final IngestJobs jobs;

	private final JobRunner runner;

	private final IngestProperties properties;

	private final String owner = "replica-" + UUID.randomUUID();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition queued = this.lock.newCondition();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	private int signals;

	private final IngestMetrics metrics;

	IngestWorkers(IngestJobs jobs, JobRunner runner, IngestProperties properties, IngestMetrics metrics) {
		this.jobs = jobs;
		this.metrics = metrics;
		this.runner = runner;
		this.properties = properties;
	}

	/**
	 * Queues work for a version in the caller's transaction and wakes a worker once it
	 * commits.
	 * @param revisions the revisions to chunk and embed, or null for all of the version's
	 */
	void enqueue(long version, IngestJobs.Priority priority, @Nullable Long[] revisions) {
		this.jobs.enqueue(version, priority, revisions);
		wakeAfterCommit();
	}

	/** Queues a version's failed jobs again. */
	int retryFailed(long version) {
		int queued = this.jobs.retryFailed(version);
		if (queued > 0) {
			wakeAfterCommit();
		}
		return queued;
	}

	private void wakeAfterCommit() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					wake();
				}
			});
		}
		else {
			wake();
		}
	}

	private void wake() {
		this.lock.lock();
		try {
			this.signals++;
			this.queued.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		this.running = true;
		for (int i = 1; i <= this.properties.workers(); i++) {
			Thread thread = new Thread(this::work, "brain-ingest-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		wake();
		for (Thread thread : this.threads) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(15));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.threads.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Below the web server's phases: started before it, stopped after it, so a seal
		// that is waiting for a job still sees it finish.
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	private void work() {
		while (this.running) {
			int seen = signals();
			Optional<IngestJobs.Job> job;
			try {
				job = this.jobs.claim(this.owner, this.properties.jobLease());
			}
			catch (RuntimeException ex) {
				log.warn("Cannot claim ingestion jobs: {}", ex.getClass().getSimpleName());
				job = Optional.empty();
			}
			if (job.isPresent()) {
				run(job.get());
			}
			else {
				idle(seen);
			}
		}
	}

	private void run(IngestJobs.Job job) {
		long started = System.nanoTime();
		int[] totals = new int[2];
		try {
			boolean finished = this.runner.run(job, (chunks, embedded) -> {
				totals[0] += chunks;
				totals[1] += embedded;
				return this.running
						&& this.jobs.heartbeat(job, this.owner, this.properties.jobLease(), chunks, embedded);
			});
			if (finished) {
				this.jobs.done(job, this.owner);
				log.info("Ingestion job {} of version {} done: {} chunks cut, {} texts embedded in {} ms", job.id(),
						job.version(), totals[0], totals[1], (System.nanoTime() - started) / 1_000_000);
			}
			else if (!this.running) {
				this.jobs.release(job, this.owner);
				log.info("Ingestion job {} of version {} handed back for a later resume", job.id(), job.version());
			}
		}
		catch (RuntimeException ex) {
			failed(job, ex);
		}
	}

	private void failed(IngestJobs.Job job, RuntimeException ex) {
		if (ex instanceof EmbeddingFailure failure && failure.notBefore().isPresent()) {
			// nothing was tried (an open breaker): wait it out without using an attempt
			Duration delay = failure.notBefore().get();
			log.info("Ingestion job {} of version {} postponed by {} ms: {}", job.id(), job.version(), delay.toMillis(),
					failure.getMessage());
			this.jobs.postpone(job, this.owner, failure.getMessage(), delay);
			return;
		}
		boolean retryable = !(ex instanceof EmbeddingFailure failure) || failure.retryable();
		String error = (ex instanceof EmbeddingFailure) ? ex.getMessage()
				: "ingestion failed: " + ex.getClass().getSimpleName();
		Duration retryAfter = null;
		if (retryable && job.attempts() < this.properties.jobAttempts()) {
			Duration backoff = this.properties.jobBackoff().multipliedBy(1L << Math.min(20, job.attempts() - 1));
			retryAfter = (backoff.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : backoff;
		}
		log.warn("Ingestion job {} of version {} failed (attempt {}): {}; {}", job.id(), job.version(), job.attempts(),
				error, (retryAfter != null) ? "retrying in " + retryAfter.toMillis() + " ms" : "giving up");
		try {
			this.jobs.failed(job, this.owner, error, retryAfter);
			if (retryAfter == null) {
				this.metrics.failures.increment();
			}
		}
		catch (RuntimeException recording) {
			// the lease runs out and the job is claimed again
			log.warn("Cannot record the failure of ingestion job {}: {}", job.id(),
					recording.getClass().getSimpleName());
		}
	}

	private int signals() {
		this.lock.lock();
		try {
			return this.signals;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void idle(int seen) {
		this.lock.lock();
		try {
			if (this.signals == seen && this.running) {
				this.queued.await(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
		finally {
			this.lock.unlock();
		}
	}

}
