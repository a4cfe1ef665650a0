package io.brainplane.embed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.brainplane.embed.EmbeddingFailure;
import io.brainplane.embed.EmbeddingProvider;
import io.brainplane.embed.Vectors;

/**
 * A BERT-style sentence-embedding model (quantized ONNX, 384 dimensions) in process,
 * loaded from a Maven Central artifact on the class path ({@code brain.embedding.model}:
 * all-MiniLM-L6-v2 or BAAI bge-small-en-v1.5), run by our own ONNX Runtime session.
 * <p>
 * Throughput: each text is tokenized once; texts are sorted by token count and packed
 * into batches that run as one ONNX call each, padded only to the longest text of their
 * batch (so a batch of similar lengths wastes almost nothing on padding). The session
 * runs each call on the calling thread (one intra-op thread, no spinning pool), and the
 * batches of one {@link #embed(List)} call are spread over a pool of
 * {@code brain.embedding.threads} threads, so ingestion never uses more cores than that.
 * <p>
 * A search query is embedded on the request's own thread, never queued behind ingestion
 * batches in the pool; a model with a query instruction (bge) gets it prepended.
 * <p>
 * Texts longer than the model's 512 positions are cut into windows of 510 tokens whose
 * pooled vectors are averaged, weighted by their token counts.
 */
public class LocalEmbeddingProvider implements EmbeddingProvider, DisposableBean {

	static final int DIMENSION = 384;

	/** Most rows (texts or windows) in one ONNX call. */
	static final int MAX_BATCH_ROWS = 32;

	/**
	 * Texts per ONNX call by default: 1, each text alone. Measured on the idle 2-core
	 * AVX2 machine of docs/performance.md with the Cranfield abstracts, batches sorted by
	 * length and padded to their longest text ran slower per chunk (-16 % at 4 texts, -43
	 * % at 16, with 2 threads), and the quantized models scale activations over the whole
	 * batch, so a text's vector would shift with its padded neighbours (cosine
	 * 0.990-0.996 against the same text alone). The same text must always get the same
	 * vector.
	 */
	static final int DEFAULT_ROWS_PER_RUN = 1;

	private static final int MAX_POSITIONS = 512;

	private static final int WINDOW = MAX_POSITIONS - 2;

	private static final Logger log = LoggerFactory.getLogger(LocalEmbeddingProvider.class);

	private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

	private final EmbeddingProperties.LocalModel spec;

	private final ExecutorService pool;

	private final int threads;

	private final int batchSize;

	private final int rowsPerRun;

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final HuggingFaceTokenizer tokenizer;

	private final boolean typeIds;

	private final long cls;

	private final long sep;

	/**
	 * Calls hold the read lock while they use the native session or tokenizer;
	 * {@link #destroy()} frees them only under the write lock, so a call still running at
	 * shutdown never touches freed native memory (which crashes the JVM).
	 */
	private final ReadWriteLock natives = new ReentrantReadWriteLock();

	private volatile boolean closed;

	/**
	 * all-MiniLM-L6-v2, the fast model (not the default: {@link EmbeddingProperties}).
	 */
	public LocalEmbeddingProvider(int threads, int batchSize) {
		this(EmbeddingProperties.LocalModel.ALL_MINILM_L6_V2_Q, threads, batchSize);
	}

	public LocalEmbeddingProvider(EmbeddingProperties.LocalModel spec, int threads, int batchSize) {
		this(spec, threads, batchSize, DEFAULT_ROWS_PER_RUN);
	}

	/**
	 * @param rowsPerRun most texts (or windows) in one ONNX call (at most
	 * {@link #MAX_BATCH_ROWS}), 1 to run each alone; for measurements, the application
	 * uses {@link #DEFAULT_ROWS_PER_RUN}
	 */
	public LocalEmbeddingProvider(EmbeddingProperties.LocalModel spec, int threads, int batchSize, int rowsPerRun) {
		this.rowsPerRun = Math.max(1, Math.min(MAX_BATCH_ROWS, rowsPerRun));
		this.spec = spec;
		this.threads = threads;
		this.batchSize = batchSize;
		this.pool = Executors.newFixedThreadPool(threads, daemonThreads());
		long started = System.nanoTime();
		ClassLoader loader = LocalEmbeddingProvider.class.getClassLoader();
		try (InputStream model = loader.getResourceAsStream(spec.onnxResource());
				InputStream tokenizer = loader.getResourceAsStream(spec.tokenizerResource())) {
			if (model == null || tokenizer == null) {
				throw new IllegalStateException("the embedding model " + spec.id() + " is not on the class path");
			}
			Map<String, String> options = new HashMap<>();
			options.put("addSpecialTokens", "false");
			options.put("padding", "false");
			options.put("truncation", "false");
			this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizer, options);
			this.environment = OrtEnvironment.getEnvironment();
			try (OrtSession.SessionOptions session = new OrtSession.SessionOptions()) {
				session.setIntraOpNumThreads(1);
				session.setInterOpNumThreads(1);
				session.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
				session.addConfigEntry("session.intra_op.allow_spinning", "0");
				session.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
				this.session = this.environment.createSession(model.readAllBytes(), session);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("the embedding model cannot be loaded: " + ex.getMessage(), ex);
		}
		this.typeIds = this.session.getInputNames().contains("token_type_ids");
		long[] special = this.tokenizer.encode("", true, false).getIds();
		this.cls = special[0];
		this.sep = special[special.length - 1];
		log.info("Loaded embedding model {} ({} threads) in {} ms", model(), threads,
				(System.nanoTime() - started) / 1_000_000);
	}

	@Override
	public String model() {
		return "local:" + this.spec.id();
	}

	@Override
	public double hitSimilarity() {
		return this.spec.hitSimilarity();
	}

	@Override
	public int batchSize() {
		return this.batchSize;
	}

	@Override
	public List<float[]> embed(List<String> texts) {
		if (texts.isEmpty()) {
			return List.of();
		}
		Lock open = open();
		try {
			List<Row> rows = new ArrayList<>();
			for (int i = 0; i < texts.size(); i++) {
				rows.addAll(rows(i, texts.get(i)));
			}
			List<List<Row>> batches = batches(rows);
			List<Future<?>> running = new ArrayList<>(batches.size());
			for (List<Row> batch : batches) {
				// each batch holds the read lock itself: the caller may give up (a
				// cancelled or failed sibling) while this batch still runs natively,
				// and the session must not be closed under it
				running.add(this.pool.submit(() -> {
					Lock held = inFlight();
					try {
						run(batch);
					}
					finally {
						held.unlock();
					}
					return null;
				}));
			}
			for (Future<?> future : running) {
				future.get();
			}
			return combine(texts.size(), rows);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddingFailure("interrupted while embedding", true, ex);
		}
		catch (ExecutionException | RuntimeException ex) {
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			throw new EmbeddingFailure("the local model failed: " + cause.getClass().getSimpleName(), false, cause);
		}
		finally {
			open.unlock();
		}
	}

	/**
	 * Embeds on the calling thread: a search never waits for ingestion batches.
	 */
	@Override
	public float[] embedQuery(String text) {
		Lock open = open();
		try {
			List<Row> rows = rows(0, this.spec.queryInstruction() + text);
			for (List<Row> batch : batches(rows)) {
				run(batch);
			}
			return combine(1, rows).get(0);
		}
		catch (OrtException | RuntimeException ex) {
			throw new EmbeddingFailure("the local model failed: " + ex.getClass().getSimpleName(), false, ex);
		}
		finally {
			open.unlock();
		}
	}

	/**
	 * The read lock for a batch in the pool, taken even while {@link #destroy()} waits
	 * for the write lock (the call that submitted it holds the read lock already, so the
	 * model cannot be closed yet); a failure once the model is closed.
	 */
	private Lock inFlight() {
		Lock lock = this.natives.readLock();
		if (!lock.tryLock()) {
			throw new EmbeddingFailure("the local model is closed (shutting down)", true, null);
		}
		if (this.closed) {
			lock.unlock();
			throw new EmbeddingFailure("the local model is closed (shutting down)", true, null);
		}
		return lock;
	}

	/** The read lock, held; a failure (retryable) once the model is closed. */
	private Lock open() {
		Lock lock = this.natives.readLock();
		lock.lock();
		if (this.closed) {
			lock.unlock();
			throw new EmbeddingFailure("the local model is closed (shutting down)", true, null);
		}
		return lock;
	}

	/** The text's token windows, each with the special tokens around it. */
	private List<Row> rows(int text, String value) {
		// The model has nothing to say about empty text, but every chunk needs a vector.
		long[] ids = this.tokenizer.encode(value.isBlank() ? "." : value, false, false).getIds();
		if (ids.length == 0) {
			ids = this.tokenizer.encode(".", false, false).getIds();
		}
		List<Row> rows = new ArrayList<>(1 + ids.length / WINDOW);
		for (int from = 0; from < ids.length; from += WINDOW) {
			int to = Math.min(ids.length, from + WINDOW);
			long[] row = new long[to - from + 2];
			row[0] = this.cls;
			System.arraycopy(ids, from, row, 1, to - from);
			row[row.length - 1] = this.sep;
			rows.add(new Row(text, row));
		}
		return rows;
	}

	/**
	 * Rows sorted by length and packed into batches of at most {@code rowsPerRun} rows,
	 * split further so every thread of the pool gets work.
	 */
	private List<List<Row>> batches(List<Row> rows) {
		List<Row> sorted = new ArrayList<>(rows);
		sorted.sort(Comparator.comparingInt((Row row) -> row.ids.length));
		int perBatch = Math.max(1, Math.min(this.rowsPerRun, (sorted.size() + this.threads - 1) / this.threads));
		List<List<Row>> batches = new ArrayList<>();
		List<Row> batch = new ArrayList<>();
		for (Row row : sorted) {
			// sorted ascending, so this row is the longest of the batch so far
			if (!batch.isEmpty() && batch.size() >= perBatch) {
				batches.add(batch);
				batch = new ArrayList<>();
			}
			batch.add(row);
		}
		if (!batch.isEmpty()) {
			batches.add(batch);
		}
		return batches;
	}

	/** One ONNX call for a batch, padded to its longest row; pools each row. */
	private void run(List<Row> batch) throws OrtException {
		int rows = batch.size();
		int length = 0;
		for (Row row : batch) {
			length = Math.max(length, row.ids.length);
		}
		long[] ids = new long[rows * length];
		long[] mask = new long[rows * length];
		for (int r = 0; r < rows; r++) {
			long[] row = batch.get(r).ids;
			System.arraycopy(row, 0, ids, r * length, row.length);
			Arrays.fill(mask, r * length, r * length + row.length, 1L);
		}
		long[] shape = { rows, length };
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try {
			inputs.put("input_ids", OnnxTensor.createTensor(this.environment, LongBuffer.wrap(ids), shape));
			inputs.put("attention_mask", OnnxTensor.createTensor(this.environment, LongBuffer.wrap(mask), shape));
			if (this.typeIds) {
				inputs.put("token_type_ids",
						OnnxTensor.createTensor(this.environment, LongBuffer.wrap(new long[rows * length]), shape));
			}
			try (OrtSession.Result result = this.session.run(inputs)) {
				float[][][] hidden = (float[][][]) result.get(0).getValue();
				for (int r = 0; r < rows; r++) {
					Row row = batch.get(r);
					row.vector = this.spec.clsPooling() ? hidden[r][0].clone() : mean(hidden[r], row.ids.length);
				}
			}
		}
		finally {
			inputs.values().forEach(OnnxTensor::close);
		}
	}

	private static float[] mean(float[][] tokens, int length) {
		float[] sum = new float[tokens[0].length];
		for (int t = 0; t < length; t++) {
			float[] token = tokens[t];
			for (int d = 0; d < sum.length; d++) {
				sum[d] += token[d];
			}
		}
		for (int d = 0; d < sum.length; d++) {
			sum[d] /= length;
		}
		return sum;
	}

	/** One unit-length vector per text: its windows averaged by token count. */
	private static List<float[]> combine(int texts, List<Row> rows) {
		float[][] vectors = new float[texts][];
		int[] weights = new int[texts];
		for (Row row : rows) {
			float[] pooled = Vectors.normalize(row.vector);
			int weight = row.ids.length;
			if (vectors[row.text] == null) {
				vectors[row.text] = new float[pooled.length];
			}
			for (int d = 0; d < pooled.length; d++) {
				vectors[row.text][d] += pooled[d] * weight;
			}
			weights[row.text] += weight;
		}
		List<float[]> result = new ArrayList<>(texts);
		for (float[] vector : vectors) {
			result.add(Vectors.normalize(vector));
		}
		return result;
	}

	@Override
	public void destroy() {
		// batches not started yet are cancelled, so the calls waiting on them fail at
		// once
		this.pool.shutdownNow().forEach((queued) -> {
			if (queued instanceof Future<?> batch) {
				batch.cancel(false);
			}
		});
		Lock exclusive = this.natives.writeLock();
		// Calls in flight finish first; one that outlasts the wait keeps the natives
		// (the process is ending, and freeing them under it would crash the JVM).
		try {
			if (!exclusive.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Embedding calls still running after {}; the model is left open", CLOSE_WAIT);
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		try {
			this.closed = true;
			try {
				this.session.close();
			}
			catch (OrtException ex) {
				// closing anyway
			}
			this.tokenizer.close();
		}
		finally {
			exclusive.unlock();
		}
	}

	private static ThreadFactory daemonThreads() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("brain-embedding-");
		threads.setDaemon(true);
		threads.setThreadPriority(Thread.NORM_PRIORITY - 1);
		return threads;
	}

	/** One window of one text's tokens, and its pooled vector once run. */
	private static final class Row {

		final int text;

		final long[] ids;

		float[] vector;

		Row(int text, long[] ids) {
			this.text = text;
			this.ids = ids;
		}

	}

}
