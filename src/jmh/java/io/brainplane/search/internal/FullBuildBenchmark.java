package io.brainplane.search.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.brainplane.index.IndexProperties;
import io.brainplane.index.IndexableChunk;
import io.brainplane.index.VersionChunks;
import io.brainplane.index.VersionRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.util.FileSystemUtils;

/**
 * A full build of a local index ({@link IndexBuilder}, the Lucene part only: the chunks
 * come from memory, not PostgreSQL) of {@code chunks} synthetic chunks shaped like
 * {@code bench/scale.sh}'s (about 600 characters of random words, a random unit vector of
 * {@code dim} dimensions, none when it is 0: the text's share of the time), with 1 and
 * with 2 build threads, one build per measurement.
 * The builds of each thread count alternate within one run, so both see the same load.
 *
 * <pre>
 * ./mvnw -B -Pjmh -DskipTests test-compile exec:exec -Djmh.args="FullBuild -p chunks=50000"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = { "-Xmx1g" })
@Warmup(iterations = 0)
@Measurement(iterations = 2)
public class FullBuildBenchmark {

	@Param({ "20000" })
	public int chunks;

	@Param({ "384" })
	public int dim;

	@Param({ "1", "2" })
	public int threads;

	@Param({ "float32" })
	public String encoding;

	private Path root;

	private IndexBuilder builder;

	private int run;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.root = Files.createTempDirectory("full-build-benchmark");
		IndexProperties properties = new IndexProperties(3, Duration.ofSeconds(1),
				new IndexProperties.KeepVersions(20, null, Duration.ofDays(7)), true, 0.3,
				IndexProperties.VectorEncoding.valueOf(this.encoding.toUpperCase()),
				IndexProperties.SegmentStoreKind.NONE, null, this.threads);
		this.builder = new IndexBuilder(new Synthetic(this.chunks, this.dim), null, properties,
				new SimpleMeterRegistry());
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		FileSystemUtils.deleteRecursively(this.root);
	}

	@Benchmark
	public IndexBuilder.Kind fullBuild() throws IOException {
		Path target = this.root.resolve("v1-" + (this.run++));
		try {
			return this.builder.build(new VersionRef(1, "bench"), target, true);
		}
		finally {
			FileSystemUtils.deleteRecursively(target);
		}
	}

	/** Chunks like bench/scale.sh's, generated on the fly from a fixed seed. */
	private record Synthetic(int count, int dim) implements VersionChunks {

		@Override
		public Optional<String> embeddingModel(long version) {
			return (this.dim > 0) ? Optional.of("synthetic-" + this.dim) : Optional.empty();
		}

		@Override
		public void forEachChunk(long version, Consumer<IndexableChunk> consumer) {
			Random random = new Random(42);
			String[] words = new String[20000];
			for (int i = 0; i < words.length; i++) {
				StringBuilder word = new StringBuilder();
				for (int j = 3 + random.nextInt(8); j > 0; j--) {
					word.append((char) ('a' + random.nextInt(26)));
				}
				words[i] = word.toString();
			}
			for (int i = 0; i < this.count; i++) {
				StringBuilder text = new StringBuilder(700);
				for (int w = 0; w < 96; w++) {
					text.append(words[random.nextInt(words.length)]).append(' ');
				}
				float[] vector = (this.dim > 0) ? new float[this.dim] : null;
				double norm = 0;
				for (int d = 0; d < this.dim; d++) {
					vector[d] = (float) random.nextGaussian();
					norm += vector[d] * vector[d];
				}
				for (int d = 0; d < this.dim; d++) {
					vector[d] /= (float) Math.sqrt(norm);
				}
				consumer.accept(new IndexableChunk(i, "doc-" + (i / 5), i % 5, "Document " + (i / 5), text.toString(),
						null, "{}", vector));
			}
		}

		@Override
		public void forEachChunkNotIn(long version, long base, Consumer<IndexableChunk> consumer) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Change change(long version, long base) {
			return new Change(List.of(), 0, 0);
		}

	}

}
