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

	private LocalEmbeddingProvider provider;

	private List<List<String>> batches;

	private int next;

	@Setup(Level.Trial)
	public void load() throws IOException {
		EmbeddingProperties.LocalModel spec = EmbeddingProperties.LocalModel
			.valueOf(this.model.toUpperCase().replace('-', '_').replace('.', '_'));
		this.provider = new LocalEmbeddingProvider(spec, this.threads, BATCH);
		List<String> texts = chunks(Path.of("src/test/resources/datasets/cranfield/documents.ndjson"));
		this.batches = new ArrayList<>();
		for (int from = 0; from + BATCH <= texts.size(); from += BATCH) {
			this.batches.add(texts.subList(from, from + BATCH));
		}
	}

	@TearDown(Level.Trial)
	public void close() {
		this.provider.destroy();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public List<float[]> embedBatch() {
		List<String> batch = this.batches.get(this.next++ % this.batches.size());
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
