package io.brainplane.search.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchHit;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
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
 * The engine's share of a lexical search, step by step, on a local index a run of
 * {@code bench/compare/profile.sh} (or {@code compare.sh}) left behind, with that run's
 * queries: analysis, the query alone (top 10 doc ids), the query as Brainplane builds it
 * (text + boosted title), the verdict's statistics, and the stored fields of the 10 hits.
 * The differences are what each step costs.
 *
 * <pre>
 * DOCS=36000 bench/compare/profile.sh     # builds target/bench/pdata once
 * ./mvnw -B -Pjmh -DskipTests test-compile exec:exec -Djmh.args="LuceneQuery"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = { "-Xmx1g" })
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(2)
public class LuceneQueryBenchmark {

	@Param({ "target/bench/pdata/index" })
	public String indexes;

	@Param({ "target/bench/corpus-36000/queries.txt" })
	public String queryFile;

	private VersionIndex index;

	private IndexSearcher searcher;

	private final QueryFactory factory = new QueryFactory(256);

	private List<String> queries;

	private List<Set<String>> terms;

	private final AtomicInteger next = new AtomicInteger();

	@Setup(Level.Trial)
	public void open() throws IOException {
		Path path;
		try (Stream<Path> dirs = Files.list(Path.of(this.indexes))) {
			path = dirs.filter((dir) -> dir.getFileName().toString().startsWith("v")).findFirst().orElseThrow();
		}
		this.index = VersionIndex.open(new VersionRef(1, "bench"), path);
		this.searcher = new IndexSearcher(this.index.reader());
		this.queries = new ArrayList<>();
		this.terms = new ArrayList<>();
		for (String line : Files.readAllLines(Path.of(this.queryFile))) {
			String q = URLDecoder.decode(line, StandardCharsets.UTF_8);
			this.queries.add(q);
			this.terms.add(this.factory.terms(q));
		}
	}

	@TearDown(Level.Trial)
	public void close() {
		this.index.close(false);
	}

	private int at() {
		return Math.floorMod(this.next.getAndIncrement() * 7919, this.queries.size());
	}

	@Benchmark
	public Set<String> analysis() {
		return this.factory.terms(this.queries.get(at()));
	}

	/** Text clauses only, top 10 doc ids. */
	@Benchmark
	public TopDocs textOnlyTop10() throws IOException {
		BooleanQuery.Builder query = new BooleanQuery.Builder();
		for (String term : this.terms.get(at())) {
			query.add(new TermQuery(new Term(IndexFields.TEXT, term)), BooleanClause.Occur.SHOULD);
		}
		return this.searcher.search(query.build(), 10);
	}

	/** Brainplane's query (text + title per term), top 10 doc ids. */
	@Benchmark
	public TopDocs brainQueryTop10() throws IOException {
		return this.searcher.search(this.factory.create(this.terms.get(at())), 10);
	}

	@Benchmark
	public double verdictStatistics() throws IOException {
		return this.index.maxTextScore(this.terms.get(at()));
	}

	/** Brainplane's query, top 10, then every stored field of the 10 hits. */
	@Benchmark
	public List<SearchHit> brainQueryWithHits() throws IOException {
		return this.index.search(this.factory.create(this.terms.get(at())), 10, false);
	}

	/** Stored fields only: the documents of a query's top 10 (computed once per call). */
	@Benchmark
	public int storedFieldsOfTop10() throws IOException {
		TopDocs top = this.searcher.search(this.factory.create(this.terms.get(at())), 10);
		StoredFields stored = this.searcher.storedFields();
		int length = 0;
		for (ScoreDoc doc : top.scoreDocs) {
			length += stored.document(doc.doc).get(IndexFields.TEXT).length();
		}
		return length;
	}

}
