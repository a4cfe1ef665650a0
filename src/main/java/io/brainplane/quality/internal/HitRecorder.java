package io.brainplane.quality.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.brainplane.search.SearchCompleted;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records every answered search without slowing it: the listener only offers the record
 * to a bounded queue (a full queue drops the record and counts it); one background thread
 * drains the queue in batches into {@code rag_hits} through the {@code hitWriter} retry
 * and circuit breaker. While the database is away the batch in hand is kept and retried
 * with growing pauses, the queue keeps what fits, and the writer catches up when the
 * database returns. Stopping drains the queue.
 */
@Component
public class HitRecorder implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(HitRecorder.class);

	private static final Duration IDLE = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private final BlockingQueue<HitRecord> queue;

	/** Taken from the queue, not yet written; touched only under {@link #writing}. */
	private final List<HitRecord> pending = new ArrayList<>();

	private final ReentrantLock writing = new ReentrantLock();

	private final HitStore store;

	private final int batchSize;

	private final boolean enabled;

	private final Runnable guardedWrite;

	private final Counter dropped;

	private final VerdictCounters verdicts;

	private volatile boolean running;

	private volatile Thread writer;

	HitRecorder(HitStore store, HitProperties properties, CircuitBreakerRegistry breakers, RetryRegistry retries,
			MeterRegistry registry, VerdictCounters verdicts) {
		this.store = store;
		this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
		this.batchSize = properties.batchSize();
		this.enabled = properties.enabled();
		this.verdicts = verdicts;
		CircuitBreaker breaker = breakers.circuitBreaker("hitWriter");
		Retry retry = retries.retry("hitWriter");
		this.guardedWrite = Retry.decorateRunnable(retry,
				CircuitBreaker.decorateRunnable(breaker, this::insertPending));
		this.dropped = Counter.builder("brain.hits.dropped")
			.description("Search records dropped because the recording queue was full")
			.register(registry);
		Gauge.builder("brain.hits.queue.depth", this.queue, BlockingQueue::size)
			.description("Search records waiting to be written")
			.register(registry);
	}

	@EventListener
	void onSearch(SearchCompleted search) {
		if (!this.enabled) {
			return;
		}
		HitRecord record = new HitRecord(search.queryId(), search.at(), search.version(), search.client(),
				search.query(), search.k(), search.group(), search.resultCount(), search.topScore(), search.relevance(),
				search.hit(), search.tookMs(), search.mode());
		if (!this.queue.offer(record)) {
			this.dropped.increment();
		}
		this.verdicts.automatic(search.version(), search.hit());
	}

	/**
	 * If the search is still waiting to be written, writes everything waiting now.
	 * @return whether the search was waiting
	 */
	boolean flushIfWaiting(String queryId) {
		this.writing.lock();
		try {
			boolean waiting = this.pending.stream().anyMatch((r) -> r.queryId().equals(queryId))
					|| this.queue.stream().anyMatch((r) -> r.queryId().equals(queryId));
			if (waiting) {
				while (!this.pending.isEmpty() || !this.queue.isEmpty()) {
					this.queue.drainTo(this.pending, this.batchSize - this.pending.size());
					insertPending();
					this.pending.clear();
				}
			}
			return waiting;
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Writes the batch in hand. The JDBC driver may raise an {@link AssertionError} (with
	 * assertions on) when the connection breaks mid-batch; it is a failed write like any
	 * other, for the breaker and the retry as much as for the writer thread.
	 */
	private void insertPending() {
		try {
			this.store.insert(this.pending);
		}
		catch (AssertionError ex) {
			throw new IllegalStateException("the JDBC driver failed: " + ex.getMessage(), ex);
		}
	}

	int depth() {
		return this.queue.size();
	}

	private void run() {
		Duration backoff = Duration.ofMillis(200);
		while (this.running) {
			try {
				if (writeOneBatch() == 0) {
					Thread.sleep(IDLE.toMillis());
				}
				backoff = Duration.ofMillis(200);
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException | LinkageError | AssertionError ex) {
				log.warn("Cannot write search records ({} waiting): {}; retrying in {} ms",
						this.queue.size() + this.pending.size(), ex.getClass().getSimpleName(), backoff.toMillis());
				try {
					Thread.sleep(backoff.toMillis());
				}
				catch (InterruptedException interrupted) {
					return;
				}
				backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
		}
	}

	/** Writes the batch in hand (or the next one); keeps it when the write fails. */
	private int writeOneBatch() {
		this.writing.lock();
		try {
			if (this.pending.isEmpty()) {
				this.queue.drainTo(this.pending, this.batchSize);
			}
			int size = this.pending.size();
			if (size > 0) {
				this.guardedWrite.run();
				this.pending.clear();
			}
			return size;
		}
		finally {
			this.writing.unlock();
		}
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::run, "brain-hit-writer");
		thread.setDaemon(true);
		this.writer = thread;
		thread.start();
	}

	/** Stops the writer, then writes what is still waiting (one attempt per batch). */
	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.writer;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.writing.lock();
		try {
			while (!this.pending.isEmpty() || !this.queue.isEmpty()) {
				this.queue.drainTo(this.pending, this.batchSize - this.pending.size());
				insertPending();
				this.pending.clear();
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not write {} search records at shutdown: {}", this.pending.size() + this.queue.size(),
					ex.getClass().getSimpleName());
		}
		finally {
			this.writing.unlock();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops after the web server, so that the last searches are still recorded. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

}
