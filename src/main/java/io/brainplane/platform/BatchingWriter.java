package io.brainplane.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Writes records off the request thread: callers only {@link #offer} to a bounded queue
 * (a full queue drops the record and counts it); one background thread drains it in
 * batches into a {@link Sink} behind a circuit breaker.
 * <ul>
 * <li>A batch the database cannot take right now (connection lost, breaker open) is kept
 * and tried again after a pause from Resilience4j's exponential {@link IntervalFunction}
 * (200 ms doubling to 5 s, randomised), while the queue keeps what fits.</li>
 * <li>A batch the database refuses for what is in it (a data or constraint error, or a
 * record the sink cannot even map) is split in halves and each half written again, down
 * to the single record at fault, which is dropped and counted with
 * {@code reason="rejected"}. The rest is written: no single record stops the writer.</li>
 * </ul>
 * Metrics: {@code <prefix>.dropped} ({@code reason} = {@code queue-full} or
 * {@code rejected}) and {@code <prefix>.queue.depth}. Sinks must be idempotent (a retried
 * or split batch may write a record twice).
 * <p>
 * A {@link SmartLifecycle}: declared as a bean by its owner, it starts its writer (a
 * thread of a Spring {@link SimpleAsyncTaskExecutor}) with the context and, in a phase
 * after the web server's, stops after it, so the last requests are still written;
 * {@link #stop()} drains the queue.
 *
 * @param <T> the record type
 */
public final class BatchingWriter<T> implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BatchingWriter.class);

	private static final Duration IDLE = Duration.ofMillis(100);

	private final Settings settings;

	private final Sink<T> sink;

	private final CircuitBreaker breaker;

	private final BlockingQueue<T> queue;

	private final IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0,
			0.2, Duration.ofSeconds(5));

	/** Taken from the queue, not yet written; touched only under {@link #writing}. */
	private final List<T> pending = new ArrayList<>();

	private final ReentrantLock writing = new ReentrantLock();

	private final Counter queueFull;

	private final Counter rejected;

	private volatile boolean running;

	private final SimpleAsyncTaskExecutor executor;

	private volatile Future<?> writer;

	private volatile CountDownLatch finished = new CountDownLatch(0);

	public BatchingWriter(Settings settings, Sink<T> sink, CircuitBreaker breaker, MeterRegistry registry) {
		this.settings = settings;
		this.sink = sink;
		this.breaker = breaker;
		this.queue = new ArrayBlockingQueue<>(settings.capacity());
		this.executor = new SimpleAsyncTaskExecutor("brain-writer-" + settings.metricPrefix() + "-");
		this.executor.setDaemon(true);
		this.queueFull = dropped(registry, "queue-full");
		this.rejected = dropped(registry, "rejected");
		Gauge.builder(settings.metricPrefix() + ".queue.depth", this.queue, BlockingQueue::size)
			.description(settings.what() + " waiting to be written")
			.register(registry);
	}

	private Counter dropped(MeterRegistry registry, String reason) {
		return Counter.builder(this.settings.metricPrefix() + ".dropped")
			.description(this.settings.what() + " dropped, by reason: queue-full (the queue was full) or rejected "
					+ "(the database refused the record itself)")
			.tag("reason", reason)
			.register(registry);
	}

	/**
	 * Queues a record; never blocks.
	 * @return false when the queue was full and the record was dropped (and counted)
	 */
	public boolean offer(T record) {
		if (this.queue.offer(record)) {
			return true;
		}
		this.queueFull.increment();
		return false;
	}

	/** Records waiting in the queue (not counting a batch in hand). */
	public int depth() {
		return this.queue.size();
	}

	/**
	 * If a matching record is still waiting, writes everything waiting now, on the
	 * caller's thread.
	 * @return whether a matching record was waiting
	 */
	public boolean flushIfWaiting(Predicate<T> match) {
		this.writing.lock();
		try {
			boolean waiting = this.pending.stream().anyMatch(match) || this.queue.stream().anyMatch(match);
			if (waiting) {
				drainNow();
			}
			return waiting;
		}
		finally {
			this.writing.unlock();
		}
	}

	private void drainNow() {
		while (!this.pending.isEmpty() || !this.queue.isEmpty()) {
			this.queue.drainTo(this.pending, this.settings.batchSize() - this.pending.size());
			writeIsolating(this.pending);
			this.pending.clear();
		}
	}

	private void run() {
		int failures = 0;
		while (this.running) {
			try {
				if (writeOneBatch() == 0) {
					Thread.sleep(IDLE.toMillis());
				}
				failures = 0;
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException | LinkageError | AssertionError ex) {
				failures++;
				long pause = this.backoff.apply(Math.min(failures, 30));
				log.warn("Cannot write {} ({} waiting): {}; retrying in {} ms", this.settings.what(),
						this.queue.size() + this.pending.size(), ex.getClass().getSimpleName(), pause);
				try {
					Thread.sleep(pause);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

	/** Writes the batch in hand (or the next one); keeps it when the write fails. */
	private int writeOneBatch() {
		this.writing.lock();
		try {
			if (this.pending.isEmpty()) {
				this.queue.drainTo(this.pending, this.settings.batchSize());
			}
			int size = this.pending.size();
			if (size > 0) {
				this.breaker.executeRunnable(() -> writeIsolating(this.pending));
				this.pending.clear();
			}
			return size;
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Writes the records; when the database refuses them for their content, halves the
	 * batch until the refused records stand alone and drops only those. A failure of any
	 * other kind propagates, so the whole batch is kept and retried.
	 */
	private void writeIsolating(List<T> batch) {
		try {
			write(batch);
		}
		catch (RuntimeException ex) {
			if (!isRefusal(ex)) {
				throw ex;
			}
			if (batch.size() == 1) {
				this.rejected.increment();
				log.warn("Dropped one of the {}: the database refuses it ({})", this.settings.what(), describe(ex));
				return;
			}
			int half = batch.size() / 2;
			writeIsolating(List.copyOf(batch.subList(0, half)));
			writeIsolating(List.copyOf(batch.subList(half, batch.size())));
		}
	}

	/**
	 * The JDBC driver may raise an {@link AssertionError} (with assertions on) when the
	 * connection breaks mid-batch; it is a failed write like any other, not a refusal.
	 */
	private void write(List<T> batch) {
		try {
			this.sink.write(batch);
		}
		catch (AssertionError ex) {
			throw new WriteUnavailable(ex);
		}
	}

	/**
	 * Whether the failure is about the records rather than the database being away: a
	 * data or constraint error (SQLSTATE classes 22 and 23), or a failure outside data
	 * access altogether (the sink could not map a record). Connection, timeout and
	 * breaker failures are not: the batch is kept and retried.
	 */
	static boolean isRefusal(RuntimeException ex) {
		if (ex instanceof DataIntegrityViolationException) {
			return true;
		}
		return !(ex instanceof DataAccessException) && !(ex instanceof CallNotPermittedException)
				&& !(ex instanceof WriteUnavailable);
	}

	private static String describe(RuntimeException ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String state = (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null)
				? ", SQLSTATE " + sql.getSQLState() : "";
		return ex.getClass().getSimpleName() + state;
	}

	@Override
	public void start() {
		CountDownLatch done = new CountDownLatch(1);
		this.finished = done;
		this.running = true;
		this.writer = this.executor.submit(() -> {
			try {
				run();
			}
			finally {
				done.countDown();
			}
		});
	}

	/** Stops the writer, then writes what is still waiting (one attempt per batch). */
	@Override
	public void stop() {
		this.running = false;
		Future<?> running = this.writer;
		if (running != null) {
			running.cancel(true);
			try {
				this.finished.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.writing.lock();
		try {
			drainNow();
		}
		catch (RuntimeException ex) {
			log.warn("Could not write {} {} at shutdown: {}", this.pending.size() + this.queue.size(),
					this.settings.what(), ex.getClass().getSimpleName());
		}
		finally {
			this.writing.unlock();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops after the web server, so that the last requests are still written. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	/**
	 * Writes one batch; must be idempotent.
	 *
	 * @param <T> the record type
	 */
	@FunctionalInterface
	public interface Sink<T> {

		void write(List<T> batch);

	}

	/**
	 * @param what the records in words, for logs and metric descriptions ("search
	 * records")
	 * @param metricPrefix prefix of the metric names ({@code brain.hits})
	 * @param capacity most records waiting; beyond it new ones are dropped and counted
	 * @param batchSize most records written in one statement
	 */
	public record Settings(String what, String metricPrefix, int capacity, int batchSize) {
	}

	private static final class WriteUnavailable extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		WriteUnavailable(AssertionError cause) {
			super("the JDBC driver failed: " + cause.getMessage(), cause);
		}

	}

}
