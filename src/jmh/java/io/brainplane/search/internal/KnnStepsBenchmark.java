package io.brainplane.search.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.brainplane.index.IndexProperties;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
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
 * Where an HNSW top-50 search spends its CPU, on a self-contained index of random unit
 * 384-dimension vectors (HNSW's worst case, like {@code bench/fake-embeddings.py}) written
 * with the brain's codec ({@link VectorFormat}, {@code DOT_PRODUCT}) into
 * {@code target/bench-knn} on first use (kept for later runs):
 * <ul>
 * <li>{@code query}: the search as served, a {@code KnnFloatVectorQuery} through an
 * {@code IndexSearcher} (rewrite, multi-leaf collector, a {@code TopDocs});</li>
 * <li>{@code leaves}: the same graphs searched leaf by leaf with
 * {@code LeafReader.searchNearestVectors} (no query machinery, no shared bar);</li>
 * <li>{@code readAndScore}: as many vectors as a search visits (its visited count),
 * picked at random, read from the mapped file and scored: the search without the graph
 * ({@code float32} only);</li>
 * <li>{@code scoreOnHeap}: the same, vectors from heap arrays (no file read);</li>
 * <li>{@code scoreHot}: the same number of dot products on one cached vector (the
 * arithmetic alone).</li>
 * </ul>
 * Prints the benchmark thread's CPU time per operation after each iteration.
 *
 * <pre>
 * ./mvnw -B -Pjmh -DskipTests test-compile exec:exec -Djmh.args="KnnSteps -p chunks=33000 -p segments=1"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = { "-Xmx1g" })
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 4)
@Threads(1)
public class KnnStepsBenchmark {

	private static final int DIMENSIONS = 384;

	@Param({ "33000" })
	public int chunks;

	@Param({ "1" })
	public int segments;

	@Param({ "50" })
	public int k;

	/** {@code float32} (the default) or {@code int8} (7-bit scalar-quantized HNSW). */
	@Param({ "float32" })
	public String encoding;

	private DirectoryReader reader;

	private IndexSearcher searcher;

	private final List<float[]> queries = new ArrayList<>();

	private float[][] onHeap;

	/** Per query: as many random ords as its search visits. */
	private int[] ords;

	private int next;

	@Setup(Level.Trial)
	public void open() throws IOException {
		Path path = Path.of("target/bench-knn/" + this.chunks + "-" + this.segments
				+ (this.encoding.equals("float32") ? "" : "-" + this.encoding));
		if (!Files.exists(path.resolve("done"))) {
			build(path);
		}
		this.reader = DirectoryReader.open(FSDirectory.open(path));
		this.searcher = new IndexSearcher(this.reader);
		Random random = new Random(7);
		for (int i = 0; i < 500; i++) {
			this.queries.add(unit(random));
		}
		// a query's totalHits is its result count; its leaves' (as a leaf search's) are the
		// vectors each visited
		long[] visited = new long[1];
		for (float[] query : this.queries) {
			this.searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, query, this.k) {
				@Override
				protected TopDocs mergeLeafResults(TopDocs[] perLeafResults) {
					for (TopDocs leaf : perLeafResults) {
						visited[0] += leaf.totalHits.value;
					}
					return super.mergeLeafResults(perLeafResults);
				}
			}, this.k);
		}
		int perSearch = (int) (visited[0] / this.queries.size());
		long leafVisited = 0;
		for (float[] query : this.queries) {
			for (LeafReaderContext leaf : this.reader.leaves()) {
				leafVisited += leaf.reader()
					.searchNearestVectors(IndexFields.VECTOR, query, this.k, null, Integer.MAX_VALUE).totalHits.value;
			}
		}
		LeafReader first = this.reader.leaves().get(0).reader();
		int size = first.maxDoc();
		this.onHeap = new float[size][];
		// every doc has a vector: doc id = ordinal (int8 indexes give their float vectors
		// through the iterator only)
		FloatVectorValues values = first.getFloatVectorValues(IndexFields.VECTOR);
		for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
			this.onHeap[doc] = values.vectorValue().clone();
		}
		int visits = (int) (leafVisited / this.queries.size());
		this.ords = new int[visits];
		for (int i = 0; i < visits; i++) {
			this.ords[i] = random.nextInt(size);
		}
		System.out.printf("%n  [%d vectors in %d segments; a search of %d visits %d vectors as a query, %d leaf by leaf]%n",
				this.reader.maxDoc(), this.reader.leaves().size(), this.k, perSearch,
				leafVisited / this.queries.size());
	}

	private void build(Path path) throws IOException {
		Files.createDirectories(path);
		long started = System.nanoTime();
		IndexWriterConfig config = new IndexWriterConfig()
			.setCodec(VectorFormat.codec(IndexProperties.VectorEncoding.valueOf(this.encoding.toUpperCase(Locale.ROOT))))
			.setRAMBufferSizeMB(2048)
			.setMergePolicy(NoMergePolicy.INSTANCE);
		Random random = new Random(42);
		int perSegment = (this.chunks + this.segments - 1) / this.segments;
		try (FSDirectory directory = FSDirectory.open(path); IndexWriter writer = new IndexWriter(directory, config)) {
			for (int i = 0; i < this.chunks; i++) {
				Document doc = new Document();
				doc.add(new KnnFloatVectorField(IndexFields.VECTOR, unit(random), VectorSimilarityFunction.DOT_PRODUCT));
				writer.addDocument(doc);
				if ((i + 1) % perSegment == 0) {
					writer.flush();
				}
			}
			writer.commit();
		}
		Files.createFile(path.resolve("done"));
		System.out.printf("%n  [built %s in %.1f s]%n", path, (System.nanoTime() - started) / 1e9);
	}

	private static float[] unit(Random random) {
		float[] vector = new float[DIMENSIONS];
		double norm = 0;
		for (int i = 0; i < vector.length; i++) {
			vector[i] = (float) random.nextGaussian();
			norm += vector[i] * vector[i];
		}
		for (int i = 0; i < vector.length; i++) {
			vector[i] /= (float) Math.sqrt(norm);
		}
		return vector;
	}

	@TearDown(Level.Trial)
	public void close() throws IOException {
		this.reader.close();
	}

	private float[] query() {
		this.next = (this.next + 1) % this.queries.size();
		return this.queries.get(this.next);
	}

	@Benchmark
	public TopDocs query(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		return this.searcher.search(VersionIndex.nearest(query(), this.k), this.k);
	}

	@Benchmark
	public long leaves(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		float[] query = query();
		long found = 0;
		for (LeafReaderContext leaf : this.reader.leaves()) {
			found += leaf.reader()
				.searchNearestVectors(IndexFields.VECTOR, query, this.k, null, Integer.MAX_VALUE).scoreDocs.length;
		}
		return found;
	}

	@Benchmark
	public float readAndScore(StoredFieldsBenchmark.CpuTime cpu) throws IOException {
		cpu.ops++;
		float[] query = query();
		RandomAccessVectorValues.Floats values = (RandomAccessVectorValues.Floats) this.reader.leaves()
			.get(0)
			.reader()
			.getFloatVectorValues(IndexFields.VECTOR);
		float sum = 0;
		for (int ord : this.ords) {
			sum += VectorSimilarityFunction.DOT_PRODUCT.compare(query, values.vectorValue(ord));
		}
		return sum;
	}

	@Benchmark
	public float scoreOnHeap(StoredFieldsBenchmark.CpuTime cpu) {
		cpu.ops++;
		float[] query = query();
		float sum = 0;
		for (int ord : this.ords) {
			sum += VectorSimilarityFunction.DOT_PRODUCT.compare(query, this.onHeap[ord]);
		}
		return sum;
	}

	@Benchmark
	public float scoreHot(StoredFieldsBenchmark.CpuTime cpu) {
		cpu.ops++;
		float[] query = query();
		float[] other = this.onHeap[this.next];
		float sum = 0;
		for (int i = 0; i < this.ords.length; i++) {
			sum += VectorUtil.dotProduct(query, other);
		}
		return sum;
	}

}
