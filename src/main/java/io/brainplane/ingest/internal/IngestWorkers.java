package io.brainplane.ingest.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.brainplane.embed.EmbeddingFailure;
import io.brainplane.platform.FaultPoint;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.lang.Nullable;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This replica's ingestion workers: {@code brain.ingest.workers} threads (a Spring task
 * executor) that claim jobs (most urgent first), run them, and retry failures with
 * exponential backoff (Resilience4j {@link IntervalFunction}). They wake when this
 * replica queues a job and otherwise look for work every {@code poll-interval}.
 * <p>
 * Each worker claims under an owner id of its own, so two workers of one replica can
 * never both hold a job. A separate thread renews the lease of every running job every
 * third of {@code job-lease}, however long the batch in progress takes; a worker whose
 * lease was lost (taken over, version deleted) stops at its next batch. Stopping hands
 * running jobs back to the queue, so a restart (of this or any replica) resumes them; a
 * replica that dies leaves them to be taken over when their lease runs out, which counts
 * an attempt.
 */
@Component
public class IngestWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(IngestWorkers.class);

	private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

	private static final String REPLICA = "replica-" + UUID.randomUUID();

	private final IngestJobs jobs;

	private final JobRunner runner;

	private final IngestProperties properties;

	private final IntervalFunction backoff;

	/** Running jobs by id, with the owner id of the worker running each. */
	private final Map<Long, Lease> leases = new ConcurrentHashMap<>();

	private ThreadPoolTaskExecutor executor;

	private ThreadPoolTaskScheduler renewer;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition queued = this.lock.newCondition();

	/** Signalled whenever a worker of this replica is through with a job. */
	private final Condition settled = this.lock.newCondition();

	private volatile boolean running;

	private int signals;

	private long settlements;

	private final IngestMetrics metrics;

	IngestWorkers(IngestJobs jobs, JobRunner runner, IngestProperties properties, IngestMetrics metrics) {
		this.jobs = jobs;
		this.metrics = metrics;
		this.runner = runner;
		this.properties = properties;
		this.backoff = IntervalFunction.ofExponentialBackoff(properties.jobBackoff(), 2.0, MAX_BACKOFF);
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

	/**
	 * Queues a bulk job over every document of the version, with the caller's transaction
	 * (revisions brought back from a backup).
	 */
	public void enqueueAll(long version) {
		enqueue(version, IngestJobs.Priority.BULK, null);
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
		int workers = this.properties.workers();
		if (workers == 0) {
			return;
		}
		this.renewer = new ThreadPoolTaskScheduler();
		this.renewer.setThreadNamePrefix("brain-ingest-lease-");
		this.renewer.setDaemon(true);
		this.renewer.initialize();
		Duration every = this.properties.jobLease().dividedBy(3);
		this.renewer.scheduleWithFixedDelay(this::renewLeases, every.isZero() ? Duration.ofMillis(100) : every);
		this.executor = new ThreadPoolTaskExecutor();
		this.executor.setCorePoolSize(workers);
		this.executor.setMaxPoolSize(workers);
		this.executor.setQueueCapacity(0);
		this.executor.setThreadNamePrefix("brain-ingest-");
		this.executor.setDaemon(true);
		this.executor.setWaitForTasksToCompleteOnShutdown(true);
		this.executor.setAwaitTerminationSeconds(15);
		this.executor.initialize();
		for (int i = 1; i <= workers; i++) {
			String owner = REPLICA + "/worker-" + i;
			this.executor.execute(() -> work(owner));
		}
	}

	@Override
	public void stop() {
		this.running = false;
		wake();
		if (this.executor != null) {
			// waits (at most 15 s) for each worker to hand its job back
			this.executor.shutdown();
			this.executor = null;
		}
		if (this.renewer != null) {
			this.renewer.shutdown();
			this.renewer = null;
		}
	}

	/** Renews the lease of every job running here; marks the ones this replica lost. */
	private void renewLeases() {
		for (Lease lease : this.leases.values()) {
			try {
				if (!this.jobs.renew(lease.job(), lease.owner(), this.properties.jobLease())) {
					lease.lost = true;
				}
			}
			catch (RuntimeException ex) {
				// the database is away: the lease may run out, and the job is taken over
				log.warn("Cannot renew the lease of ingestion job {}: {}", lease.job(), ex.getClass().getSimpleName());
			}
		}
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

	private void work(String owner) {
		while (this.running) {
			int seen = signals();
			Optional<IngestJobs.Job> job;
			try {
				int abandoned = this.jobs.failAbandoned(this.properties.jobAttempts());
				if (abandoned > 0) {
					log.warn("{} ingestion job(s) abandoned by their worker {} times marked FAILED", abandoned,
							this.properties.jobAttempts());
					this.metrics.failures.increment(abandoned);
				}
				job = this.jobs.claim(owner, this.properties.jobLease(), this.properties.jobAttempts());
			}
			catch (RuntimeException ex) {
				log.warn("Cannot claim ingestion jobs: {}", ex.getClass().getSimpleName());
				job = Optional.empty();
			}
			if (job.isPresent()) {
				Lease lease = new Lease(job.get().id(), owner);
				this.leases.put(lease.job(), lease);
				try {
					run(job.get(), lease);
				}
				finally {
					this.leases.remove(lease.job());
					settledOne();
				}
			}
			else {
				idle(seen);
			}
		}
	}

	private void run(IngestJobs.Job job, Lease lease) {
		String owner = lease.owner();
		long started = System.nanoTime();
		int[] totals = new int[2];
		try {
			FaultPoint.reach("ingest.after-claim");
			boolean finished = this.runner.run(job, (chunks, embedded) -> {
				totals[0] += chunks;
				totals[1] += embedded;
				FaultPoint.reach("ingest.after-batch");
				return this.running && !lease.lost
						&& this.jobs.heartbeat(job, owner, this.properties.jobLease(), chunks, embedded);
			});
			if (finished) {
				this.jobs.done(job, owner);
				log.info("Ingestion job {} of version {} done: {} chunks cut, {} texts embedded in {} ms", job.id(),
						job.version(), totals[0], totals[1], (System.nanoTime() - started) / 1_000_000);
			}
			else if (!this.running) {
				this.jobs.release(job, owner);
				log.info("Ingestion job {} of version {} handed back for a later resume", job.id(), job.version());
			}
		}
		catch (RuntimeException ex) {
			failed(job, owner, ex);
		}
	}

	private void failed(IngestJobs.Job job, String owner, RuntimeException ex) {
		if (ex instanceof EmbeddingFailure failure && failure.notBefore().isPresent()) {
			// nothing was tried (an open breaker): wait it out without using an attempt
			Duration delay = failure.notBefore().get();
			log.info("Ingestion job {} of version {} postponed by {} ms: {}", job.id(), job.version(), delay.toMillis(),
					failure.getMessage());
			this.jobs.postpone(job, owner, failure.getMessage(), delay);
			return;
		}
		boolean retryable = !(ex instanceof EmbeddingFailure failure) || failure.retryable();
		String error = (ex instanceof EmbeddingFailure) ? ex.getMessage()
				: "ingestion failed: " + ex.getClass().getSimpleName();
		Duration retryAfter = null;
		if (retryable && job.attempts() < this.properties.jobAttempts()) {
			retryAfter = Duration.ofMillis(this.backoff.apply(job.attempts()));
		}
		log.warn("Ingestion job {} of version {} failed (attempt {}): {}; {}", job.id(), job.version(), job.attempts(),
				error, (retryAfter != null) ? "retrying in " + retryAfter.toMillis() + " ms" : "giving up");
		try {
			this.jobs.failed(job, owner, error, retryAfter);
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

	private void settledOne() {
		this.lock.lock();
		try {
			this.settlements++;
			this.settled.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * How many jobs this replica's workers are through with (done, failed, postponed or
	 * handed back), for {@link #awaitSettlement}.
	 */
	long settlements() {
		this.lock.lock();
		try {
			return this.settlements;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until a worker of this replica is through with a job after {@code seen}
	 * settlements, or until {@code timeout} passes (a job another replica runs settles
	 * unseen here).
	 */
	void awaitSettlement(long seen, Duration timeout) throws InterruptedException {
		this.lock.lock();
		try {
			if (this.settlements == seen) {
				this.settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
		}
		finally {
			this.lock.unlock();
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

	/** A running job's lease, renewed in the background. */
	private static final class Lease {

		private final long job;

		private final String owner;

		private volatile boolean lost;

		Lease(long job, String owner) {
			this.job = job;
			this.owner = owner;
		}

		long job() {
			return this.job;
		}

		String owner() {
			return this.owner;
		}

	}

}
