package io.brainplane.search.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.index.IndexProperties;
import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchHit;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.compressing.CompressionMode;
import org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.util.FileSystemUtils;

/**
 * Reading the stored fields of 10 results (what every search does after ranking), by
 * stored-fields format, on chunks cut from the {@code bench/compare} corpus as ingestion
 * cuts them (about 1,000 characters, title, key, source, metadata). Only stored fields are
 * indexed; results are 10 random chunks, as a query's top 10 are spread over the index.
 * Prints the stored-fields bytes on disk per format.
 *
 * <pre>
 * python3 bench/compare/gen-corpus.py target/bench/corpus-36000 36000
 * ./mvnw -B -Pjmh -DskipTests test-compile exec:exec -Djmh.args="StoredFields"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = { "-Xmx1g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Threads(1)
public class StoredFieldsBenchmark {

	/** {@code lucene912}: the default (before); {@code brain}: {@link BrainCodec}; others: variants. */
	@Param({ "lucene912", "brain" })
	public String format;

	@Param({ "target/bench/corpus-36000/documents.ndjson" })
	public String corpus;

	@Param({ "60000" })
	public int chunks;

	private Path dir;

	private VersionIndex index;

	private int maxDoc;

	private final SplittableRandom random = new SplittableRandom(7);

	@Setup(Level.Trial)
	public void build() throws IOException {
		this.dir = Files.createTempDirectory("stored-fields-" + this.format);
		Path path = this.dir.resolve("index");
		IndexWriterConfig config = new IndexWriterConfig();
		config.setCodec(codec(this.format));
		config.setRAMBufferSizeMB(128);
		config.setUseCompoundFile(false);
		ObjectMapper json = new ObjectMapper();
		int count = 0;
		try (FSDirectory directory = FSDirectory.open(path);
				IndexWriter writer = new IndexWriter(directory, config);
				BufferedReader lines = Files.newBufferedReader(Path.of(this.corpus), StandardCharsets.UTF_8)) {
			for (String line = lines.readLine(); line != null && count < this.chunks; line = lines.readLine()) {
				JsonNode document = json.readTree(line);
				String content = document.get("content").asText();
				for (int from = 0; from < content.length() && count < this.chunks; from += 1000) {
					Document doc = new Document();
					doc.add(new StoredField(IndexFields.CHUNK_ID, (long) count));
					doc.add(new StringField(IndexFields.DOCUMENT_KEY, document.get("key").asText(), Field.Store.YES));
					doc.add(new StoredField(IndexFields.TITLE, document.get("title").asText()));
					doc.add(new StoredField(IndexFields.TEXT,
							content.substring(from, Math.min(content.length(), from + 1000))));
					doc.add(new StoredField(IndexFields.SOURCE, document.get("source").asText()));
					doc.add(new StoredField(IndexFields.METADATA, "{\"lang\":\"en\",\"team\":\"bench\"}"));
					writer.addDocument(doc);
					count++;
				}
			}
			writer.forceMerge(1);
		}
		long bytes = 0;
		try (var files = Files.list(path)) {
			for (Path file : files.filter((f) -> f.getFileName().toString().startsWith("_")).toList()) {
				if (file.getFileName().toString().endsWith(".fdt")) {
					bytes += Files.size(file);
				}
			}
		}
		System.out.printf("%n%s: %d chunks, stored fields (.fdt) %,d bytes%n", this.format, count, bytes);
		this.index = VersionIndex.open(new VersionRef(1, "bench"), path);
		this.maxDoc = count;
	}

	private static Codec codec(String format) {
		return switch (format) {
			case "lucene912" -> new Lucene912Codec();
			case "brain" -> BrainCodec.writing(IndexProperties.VectorEncoding.FLOAT32);
			case "lz4-1k" -> variant(CompressionMode.FAST, 1024);
			case "lz4-2k" -> variant(CompressionMode.FAST, 2 * 1024);
			case "lz4-4k" -> variant(CompressionMode.FAST, 4 * 1024);
			case "lz4-16k" -> variant(CompressionMode.FAST, 16 * 1024);
			case "lz4-32k" -> variant(CompressionMode.FAST, 32 * 1024);
			default -> throw new IllegalArgumentException(format);
		};
	}

	/**
	 * {@link BrainCodec}'s format with other blocks: block sizes are the writer's choice
	 * only, so {@link BrainCodec} reads these.
	 */
	private static Codec variant(CompressionMode mode, int blockBytes) {
		StoredFieldsFormat stored = new Lucene90CompressingStoredFieldsFormat(BrainCodec.STORED_FIELDS_FORMAT, mode,
				blockBytes, 128, 10);
		return new FilterCodec(BrainCodec.NAME, new Lucene912Codec()) {
			@Override
			public StoredFieldsFormat storedFieldsFormat() {
				return stored;
			}
		};
	}

	@TearDown(Level.Trial)
	public void close() throws IOException {
		this.index.close(true);
		FileSystemUtils.deleteRecursively(this.dir);
	}

	/**
	 * CPU time of the benchmark thread per operation, printed after each iteration: on a
	 * shared machine wall time per operation measures the load, CPU time much less so.
	 */
	@State(Scope.Thread)
	public static class CpuTime {

		private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
			.getThreadMXBean();

		long ops;

		private long started;

		@Setup(Level.Iteration)
		public void start() {
			this.ops = 0;
			this.started = THREADS.getCurrentThreadCpuTime();
		}

		@TearDown(Level.Iteration)
		public void print() {
			long nanos = THREADS.getCurrentThreadCpuTime() - this.started;
			System.out.printf("  [cpu %.1f us/op over %d ops]%n", nanos / 1000.0 / Math.max(1, this.ops), this.ops);
		}

	}

	/** The stored fields of 10 random chunks, as a search reads its results. */
	@Benchmark
	public List<SearchHit> tenHits(CpuTime cpu) throws IOException {
		cpu.ops++;
		List<VersionIndex.Ranked> ranked = new ArrayList<>(10);
		float[] scores = new float[10];
		for (int i = 0; i < 10; i++) {
			int doc = this.random.nextInt(this.maxDoc);
			ranked.add(new VersionIndex.Ranked(doc, 1, doc));
		}
		return this.index.hits(ranked, scores);
	}

}
