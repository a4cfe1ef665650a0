package io.brainplane.search.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;

/**
 * Adds documents to an {@link IndexWriter} from several threads. The caller's thread
 * produces them (a full build: the chunk stream from PostgreSQL, which stays in the
 * caller's transaction) and hands them in batches, through a small bounded queue, to
 * {@code threads} indexing threads. Lucene gives each indexing thread its own in-memory
 * segment, so each builds its own HNSW graph: the graph building, most of a full build's
 * time, runs on every core instead of one.
 * <p>
 * Only one indexing thread runs until {@code serialFirst} documents were handed over: an
 * index smaller than that is built as by one thread (one segment, the same graph every
 * time), since merging several threads' segments into one would cost more than the
 * threads saved.
 * <p>
 * A failure of an indexing thread ends the producer's next {@link #add(Document)}; a
 * failure of the producer ends the indexing threads at {@link #close()}. Indexing threads
 * are never interrupted (an interrupt during an index write would abort the writer): they
 * finish the batch in hand and stop.
 */
final class ParallelIndexing implements AutoCloseable {

	/** Documents handed over at a time. */
	static final int BATCH = 64;

	private static final List<Document> END = List.of();

	private final IndexWriter writer;

	private final BlockingQueue<List<Document>> queue;

	private final List<Thread> workers = new ArrayList<>();

	private final int threads;

	private final ThreadFactory factory;

	private final long serialFirst;

	private long handedOver;

	private int started;

	private final LongAdder indexingNanos = new LongAdder();

	private long waitingNanos;

	private volatile Throwable failure;

	private volatile boolean stopped;

	private List<Document> batch = new ArrayList<>(BATCH);

	private boolean finished;

	/**
	 * @param threads indexing threads at most
	 * @param serialFirst documents indexed by one thread before the others start
	 */
	ParallelIndexing(IndexWriter writer, int threads, long serialFirst, ThreadFactory factory) {
		this.writer = writer;
		this.threads = threads;
		this.serialFirst = serialFirst;
		this.factory = factory;
		// room for every thread's end marker, and a little read-ahead
		this.queue = new ArrayBlockingQueue<>(threads * 4);
		startWorkers(1);
	}

	/** How many indexing threads were started. */
	int threadsStarted() {
		return this.started;
	}

	private void startWorkers(int count) {
		while (this.workers.size() < count) {
			Thread thread = this.factory.newThread(this::index);
			this.workers.add(thread);
			thread.start();
			this.started++;
		}
	}

	/** Adds a document (on an indexing thread, later). */
	void add(Document document) {
		this.batch.add(document);
		if (this.batch.size() == BATCH) {
			handOver(this.batch);
			this.batch = new ArrayList<>(BATCH);
		}
	}

	/**
	 * Waits until every document added is in the writer.
	 * @throws IOException when an indexing thread failed with one
	 */
	void finish() throws IOException {
		if (!this.batch.isEmpty()) {
			handOver(this.batch);
			this.batch = new ArrayList<>();
		}
		this.finished = true;
		stop();
		rethrow();
	}

	/** Time the producer waited for the indexing threads (they were the bottleneck). */
	long waitingNanos() {
		return this.waitingNanos;
	}

	/** Time the indexing threads spent in {@link IndexWriter#addDocument}, summed. */
	long indexingNanos() {
		return this.indexingNanos.sum();
	}

	/**
	 * Stops and joins the indexing threads; documents not handed over yet are dropped.
	 */
	@Override
	public void close() {
		if (!this.finished) {
			this.stopped = true;
			this.queue.clear();
		}
		stop();
	}

	private void stop() {
		for (int i = 0; i < this.workers.size(); i++) {
			putUninterruptibly(END);
		}
		boolean interrupted = false;
		for (Thread worker : this.workers) {
			while (worker.isAlive()) {
				try {
					worker.join();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		this.workers.clear();
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private void handOver(List<Document> documents) {
		this.handedOver += documents.size();
		if (this.handedOver > this.serialFirst && this.workers.size() < this.threads) {
			startWorkers(this.threads);
		}
		long started = System.nanoTime();
		try {
			while (!this.queue.offer(documents, 50, TimeUnit.MILLISECONDS)) {
				if (this.failure != null) {
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while indexing", ex);
		}
		finally {
			this.waitingNanos += System.nanoTime() - started;
		}
		if (this.failure != null) {
			try {
				rethrow();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private void putUninterruptibly(List<Document> documents) {
		boolean interrupted = false;
		while (true) {
			try {
				this.queue.put(documents);
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private void rethrow() throws IOException {
		Throwable failed = this.failure;
		if (failed instanceof IOException io) {
			throw new IOException("indexing failed: " + io.getMessage(), io);
		}
		if (failed instanceof RuntimeException runtime) {
			throw new IllegalStateException("indexing failed: " + runtime, runtime);
		}
		if (failed instanceof Error error) {
			throw error;
		}
	}

	private void index() {
		while (true) {
			List<Document> documents;
			try {
				documents = this.queue.take();
			}
			catch (InterruptedException ex) {
				// never interrupted by this class; leave as asked
				Thread.currentThread().interrupt();
				return;
			}
			if (documents == END) {
				return;
			}
			if (this.stopped || this.failure != null) {
				continue;
			}
			long started = System.nanoTime();
			try {
				for (Document document : documents) {
					this.writer.addDocument(document);
				}
			}
			catch (Throwable ex) {
				if (this.failure == null) {
					this.failure = ex;
				}
			}
			finally {
				this.indexingNanos.add(System.nanoTime() - started);
			}
		}
	}

}
