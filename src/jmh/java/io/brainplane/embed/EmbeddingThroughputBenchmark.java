package io.brainplane.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import io.brainplane.embed.internal.EmbeddingProperties;
import io.brainplane.embed.internal.LocalEmbeddingProvider;

/**
 * Chunks embedded per second by the in-process model on real English: the Cranfield
 * abstracts (src/test/resources/datasets/cranfield), each embedded as ingestion does
 * (title, blank line, chunk of at most 1,000 characters), in calls of
 * {@code brain.embedding.batch-size} texts, as one ingestion worker makes them. The score
 * is chunks per second.
 *
 * <pre>
 * ./mvnw -B -Pjmh -DskipTests test-compile exec:exec -Djmh.args="EmbeddingThroughput"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 15)
public class EmbeddingThroughputBenchmark {

	static final int BATCH = 32;

	@Param({ "all-minilm-l6-v2-q", "bge-small-en-v1.5-q" })
	public String model;

	@Param({ "1", "2" })
	public int threads;

	/** Most texts in one ONNX run (sorted by length, padded to the longest). */
	@Param({ "1" })
	public int rows;

	/**
	 * {@code own}: our session ({@link LocalEmbeddingProvider}); {@code langchain4j}:
	 * LangChain4j's encoder of the same all-MiniLM-L6-v2 file (its executor has
	 * {@code threads} threads), the reference the own session replaced.
	 */
	@Param({ "own" })
	public String engine;

	private dev.langchain4j.model.embedding.EmbeddingModel reference;

	private java.util.concurrent.ExecutorService referencePool;

	private LocalEmbeddingProvider provider;

	private List<List<String>> batches;

	private int next;

	@Setup(Level.Trial)
	public void load() throws IOException {
		EmbeddingProperties.LocalModel spec = EmbeddingProperties.LocalModel
			.valueOf(this.model.toUpperCase().replace('-', '_').replace('.', '_'));
		this.provider = new LocalEmbeddingProvider(spec, this.threads, BATCH, this.rows);
		if (this.engine.equals("langchain4j")) {
			this.referencePool = java.util.concurrent.Executors.newFixedThreadPool(this.threads);
			this.reference = new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel(
					this.referencePool);
		}
		List<String> texts = chunks(Path.of("src/test/resources/datasets/cranfield/documents.ndjson"));
		this.batches = new ArrayList<>();
		for (int from = 0; from + BATCH <= texts.size(); from += BATCH) {
			this.batches.add(texts.subList(from, from + BATCH));
		}
	}

	@TearDown(Level.Trial)
	public void close() {
		this.provider.destroy();
		if (this.referencePool != null) {
			this.referencePool.shutdownNow();
		}
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public List<float[]> embedBatch() {
		List<String> batch = this.batches.get(this.next++ % this.batches.size());
		if (this.reference != null) {
			return this.reference.embedAll(batch.stream().map(dev.langchain4j.data.segment.TextSegment::from).toList())
				.content()
				.stream()
				.map(dev.langchain4j.data.embedding.Embedding::vector)
				.toList();
		}
		return this.provider.embed(batch);
	}

	/** Title + blank line + chunks of at most 1,000 characters cut at whitespace. */
	static List<String> chunks(Path documents) throws IOException {
		ObjectMapper json = new ObjectMapper();
		List<String> texts = new ArrayList<>();
		for (String line : Files.readAllLines(documents)) {
			JsonNode doc = json.readTree(line);
			String content = doc.path("content").asText().strip();
			if (content.isEmpty()) {
				continue;
			}
			String prefix = doc.path("title").asText() + "\n\n";
			int start = 0;
			while (start < content.length()) {
				int end = Math.min(content.length(), start + 1000);
				if (end < content.length()) {
					int space = content.lastIndexOf(' ', end);
					end = (space > start + 500) ? space : end;
				}
				texts.add(prefix + content.substring(start, end).strip());
				if (end >= content.length()) {
					break;
				}
				start = Math.max(start + 1, end - 150);
			}
		}
		return texts;
	}

}
