package io.brainplane.search.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchHit;
import io.brainplane.index.IndexProperties;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.springframework.util.FileSystemUtils;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
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

/**
 * Where hybrid spends its time beyond lexical, step by step, on the brain with vectors
 * that {@code MODE=hybrid bench/compare/ab.sh} left behind: lexical as served (BM25 top
 * 10, verdict statistics, 10 results), the BM25 top 50 hybrid fuses, the HNSW top 50,
 * and hybrid's steps together (both rankings, statistics, 10 results). Query vectors are
 * random unit vectors, like the bench's fake embeddings (which are random per text).
 * Prints the benchmark thread's CPU time per operation after each iteration, the figure
 * that means something on a shared machine.
 *
 * <pre>
 * MODE=hybrid DOCS=8000 ROUNDS=0 A=target/x.jar B=target/x.jar bench/compare/ab.sh   # loads the brain once
 * ./mvnw -B -Pjmh -DskipTests test-compile exec:exec -Djmh.args="HybridSteps"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = { "-Xmx1g" })
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 4)
@Threads(1)
public class HybridStepsBenchmark {

	@Param({ "target/bench-ab/data-hybrid-8000/index" })
	public String indexes;

	@Param({ "target/bench-ab/corpus-8000/queries.txt" })
	public String queryFile;

	/**
	 * Vectors the HNSW rows search: {@code float32} (the brain as built), or {@code int8}
	 * (the same vectors copied, in doc id order, into a vectors-only index built with
	 * {@code brain.index.vector-encoding=int8}, at setup).
	 */
	@Param({ "float32" })
	public String encoding;

	private VersionIndex index;

	private IndexSearcher vectorSearcher;

	private Path copy;

	private final QueryFactory factory = new QueryFactory(256);

	private final List<Set<String>> terms = new ArrayList<>();

	private final List<Query> queries = new ArrayList<>();

	private final List<float[]> vectors = new ArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	@Setup(Level.Trial)
	public void open() throws IOException {
		Path path;
		try (Stream<Path> dirs = Files.list(Path.of(this.indexes))) {
			path = dirs.filter((dir) -> dir.getFileName().toString().startsWith("v")).findFirst().orElseThrow();
		}
		this.index = VersionIndex.open(new VersionRef(1, "bench"), path);
		this.vectorSearcher = new IndexSearcher(this.index.reader());
		if (this.encoding.equals("int8")) {
			this.vectorSearcher = new IndexSearcher(DirectoryReader.open(FSDirectory.open(int8Copy())));
		}
		Random random = new Random(42);
		for (String line : Files.readAllLines(Path.of(this.queryFile))) {
			Set<String> analysed = this.factory.terms(URLDecoder.decode(line, StandardCharsets.UTF_8));
			if (analysed.isEmpty()) {
				continue;
			}
			this.terms.add(analysed);
			this.queries.add(this.factory.create(analysed));
			float[] vector = new float[384];
			double norm = 0;
			for (int i = 0; i < vector.length; i++) {
				vector[i] = (float) random.nextGaussian();
				norm += vector[i] * vector[i];
			}
			for (int i = 0; i < vector.length; i++) {
				vector[i] /= (float) Math.sqrt(norm);
			}
			this.vectors.add(vector);
		}
		// how much of the graph an HNSW search of 50 visits, per segment
		List<LeafReaderContext> leaves = this.vectorSearcher.getIndexReader().leaves();
		long visited = 0;
		int searches = Math.min(200, this.vectors.size());
		for (int i = 0; i < searches; i++) {
			for (LeafReaderContext leaf : leaves) {
				TopDocs top = leaf.reader()
					.searchNearestVectors(IndexFields.VECTOR, this.vectors.get(i), 50, leaf.reader().getLiveDocs(),
							Integer.MAX_VALUE);
				visited += top.totalHits.value;
			}
		}
		System.out.printf("%n  [index: %d chunks in %d segments (%s); an HNSW search of 50 visits %d vectors]%n",
				this.vectorSearcher.getIndexReader().numDocs(), leaves.size(),
				leaves.stream().map((leaf) -> Integer.toString(leaf.reader().maxDoc())).toList(), visited / searches);
	}

	/** The brain's vectors in a vectors-only int8 index of one segment. */
	private Path int8Copy() throws IOException {
		this.copy = Files.createTempDirectory("hybrid-int8");
		long started = System.nanoTime();
		IndexWriterConfig config = new IndexWriterConfig().setCodec(VectorFormat.codec(IndexProperties.VectorEncoding.INT8))
			.setRAMBufferSizeMB(1024)
			.setMergePolicy(NoMergePolicy.INSTANCE);
		// one thread, a buffer larger than the vectors: one segment, one graph
		try (FSDirectory directory = FSDirectory.open(this.copy);
				IndexWriter writer = new IndexWriter(directory, config)) {
			for (LeafReaderContext leaf : this.index.reader().leaves()) {
				FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
				for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
					Document document = new Document();
					if (values != null && values.docID() < doc) {
						values.advance(doc);
					}
					if (values != null && values.docID() == doc) {
						document.add(new KnnFloatVectorField(IndexFields.VECTOR, values.vectorValue().clone(),
								VectorSimilarityFunction.DOT_PRODUCT));
					}
					writer.addDocument(document);
				}
			}
		}
		System.out.printf("%n  [int8 copy built in %.1f s]%n", (System.nanoTime() - started) / 1e9);
		return this.copy;
	}

	@TearDown(Level.Trial)
	public void close() throws IOException {
		this.index.close(false);
		if (this.copy != null) {
			this.vectorSearcher.getIndexReader().close();
			FileSystemUtils.deleteRecursively(this.copy);
		}
	}

	private int at() {
		return Math.floorMod(this.next.getAndIncrement() * 7919, this.queries.size());
	}

	/** What lexical serves: BM25 top 10, the verdict's statistics, the 10 results. */
	@Benchmark
	public List<SearchHit> lexical(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		int i = at();
		List<SearchHit> hits = this.index.search(this.queries.get(i), 10, false);
		this.index.maxTextScore(this.terms.get(i));
		return hits;
	}

	/** The BM25 ranking hybrid fuses: top 50 doc ids and scores. */
	@Benchmark
	public List<VersionIndex.Ranked> bm25Top50(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		return this.index.rank(this.queries.get(at()), 50, false);
	}

	/** BM25 top 10 doc ids and scores (lexical's ranking without its results). */
	@Benchmark
	public List<VersionIndex.Ranked> bm25Top10(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		return this.index.rank(this.queries.get(at()), 10, false);
	}

	/** The vector ranking hybrid fuses: HNSW top 50. */
	@Benchmark
	public TopDocs knnTop50(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		return this.vectorSearcher.search(VersionIndex.nearest(this.vectors.get(at()), 50), 50);
	}

	/** Hybrid's steps without the fusion arithmetic: both rankings, statistics, 10 results. */
	@Benchmark
	public List<SearchHit> hybridSteps(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		int i = at();
		List<VersionIndex.Ranked> words = this.index.rank(this.queries.get(i), 50, false);
		List<VersionIndex.Ranked> meaning = this.index.rank(VersionIndex.nearest(this.vectors.get(i), 50), 50,
				false);
		this.index.maxTextScore(this.terms.get(i));
		List<VersionIndex.Ranked> shown = new ArrayList<>(10);
		for (int r = 0; r < 10; r++) {
			shown.add(((r & 1) == 0 || r / 2 >= words.size()) ? meaning.get(r / 2) : words.get(r / 2));
		}
		return this.index.hits(shown, new float[10]);
	}

}
