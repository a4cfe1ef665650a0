package io.brainplane.embed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

import io.brainplane.embed.EmbeddingFailure;
import io.brainplane.embed.EmbeddingProvider;

/**
 * all-MiniLM-L6-v2 (quantized, ONNX, 384 dimensions) in process, loaded from the
 * LangChain4j artifact on the class path. The ONNX session runs each text on one thread
 * (intra-op threads set to 1, not ONNX's default of every core); a batch is spread over a
 * pool of {@code brain.embedding.threads} threads, so ingestion never uses more cores
 * than that. A search query is embedded on the request's own thread.
 */
public class LocalEmbeddingProvider implements EmbeddingProvider, DisposableBean {

	static final String MODEL = "local:all-minilm-l6-v2-q";

	static final int DIMENSION = 384;

	private static final Logger log = LoggerFactory.getLogger(LocalEmbeddingProvider.class);

	private final ExecutorService pool;

	private final Model model;

	private final int batchSize;

	public LocalEmbeddingProvider(int threads, int batchSize) {
		this.batchSize = batchSize;
		this.pool = Executors.newFixedThreadPool(threads, daemonThreads());
		long started = System.nanoTime();
		this.model = new Model(load(), this.pool);
		log.info("Loaded embedding model {} ({} threads) in {} ms", MODEL, threads,
				(System.nanoTime() - started) / 1_000_000);
	}

	private static OnnxBertBiEncoder load() {
		ClassLoader loader = LocalEmbeddingProvider.class.getClassLoader();
		try (InputStream model = loader.getResourceAsStream("all-minilm-l6-v2-q.onnx");
				InputStream tokenizer = loader.getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
			if (model == null || tokenizer == null) {
				throw new IllegalStateException("the all-MiniLM-L6-v2 model is not on the class path");
			}
			OrtEnvironment environment = OrtEnvironment.getEnvironment();
			OrtSession.SessionOptions options = new OrtSession.SessionOptions();
			options.setIntraOpNumThreads(1);
			options.setInterOpNumThreads(1);
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			OrtSession session = environment.createSession(model.readAllBytes(), options);
			return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("the embedding model cannot be loaded: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String model() {
		return MODEL;
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
		try {
			List<TextSegment> segments = texts.stream().map(LocalEmbeddingProvider::segment).toList();
			return this.model.embedAll(segments).content().stream().map(Embedding::vector).toList();
		}
		catch (RuntimeException ex) {
			throw new EmbeddingFailure("the local model failed: " + ex.getClass().getSimpleName(), false, ex);
		}
	}

	@Override
	public float[] embedQuery(String text) {
		return embed(List.of(text)).get(0);
	}

	private static TextSegment segment(String text) {
		// The model has nothing to say about empty text, but every chunk needs a vector.
		return TextSegment.from(text.isBlank() ? "." : text);
	}

	@Override
	public void destroy() {
		this.pool.shutdownNow();
	}

	private static ThreadFactory daemonThreads() {
		AtomicInteger number = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, "brain-embedding-" + number.incrementAndGet());
			thread.setDaemon(true);
			thread.setPriority(Thread.NORM_PRIORITY - 1);
			return thread;
		};
	}

	/** LangChain4j's in-process model around our own ONNX session. */
	private static final class Model extends AbstractInProcessEmbeddingModel {

		private final OnnxBertBiEncoder encoder;

		Model(OnnxBertBiEncoder encoder, ExecutorService executor) {
			super(executor);
			this.encoder = encoder;
		}

		@Override
		protected OnnxBertBiEncoder model() {
			return this.encoder;
		}

		@Override
		protected Integer knownDimension() {
			return DIMENSION;
		}

	}

}
