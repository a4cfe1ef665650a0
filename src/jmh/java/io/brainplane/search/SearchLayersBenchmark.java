package io.brainplane.search;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.brainplane.BrainplaneApplication;
import org.apache.lucene.search.Query;
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

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import io.brainplane.search.internal.QueryFactory;
import io.brainplane.search.internal.VersionIndex;
import io.brainplane.search.internal.LocalIndexes;

/**
 * One search three ways, on the same local index and the same queries, so the difference
 * between the layers is the budget to cut:
 * <ul>
 * <li>{@code lucene}: the Brainplane query (analysis, BM25 over text and title) on the
 * served index, top 10 with their stored fields: the engine alone;</li>
 * <li>{@code service*}: {@link SearchService#search} in process (verdict, event,
 * recording hand-off), result cache off;</li>
 * <li>{@code http*}: {@code GET /brain/search} over HTTP with an API key, the security
 * filters, Tomcat, Jackson and hit recording, result cache off, rate limits off.</li>
 * </ul>
 * The whole application runs in the benchmark JVM on its embedded PostgreSQL. Documents
 * are generated from the Cranfield vocabulary (Zipf), about four chunks each; vectors come
 * from an in-process fake OpenAI-compatible endpoint (deterministic unit vectors), so the
 * hybrid rows measure search with query vectors cached, not the model.
 *
 * <pre>
 * ./mvnw -B -Pjmh -DskipTests test-compile exec:exec -Djmh.args="SearchLayers -p docs=8000"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = { "-Xmx2g" })
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
@Threads(2)
public class SearchLayersBenchmark {

	private static final String KEY = "bench-operator-key-0123456789";

	@Param({ "8000" })
	public int docs;

	private HttpServer embeddings;

	private ConfigurableApplicationContext app;

	private SearchService service;

	private VersionIndex index;

	private HttpClient http;

	private String base;

	private List<String> queries;

	private final AtomicInteger next = new AtomicInteger();

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.embeddings = fakeEmbeddings();
		Path data = Path.of("target", "jmh-data");
		// Loading and sealing (the HNSW graph) takes minutes: a brain of the same size
		// left by an earlier trial is served again instead.
		Path loaded = data.resolve("loaded-" + this.docs);
		boolean reuse = Files.exists(loaded);
		if (!reuse) {
			FileSystemUtils.deleteRecursively(data);
		}
		this.app = SpringApplication.run(BrainplaneApplication.class, "--server.port=0", "--management.server.port=0",
				"--brain.data-dir=" + data, "--brain.ratelimit.enabled=false", "--BRAIN_OPERATOR_KEY=" + KEY,
				"--brain.embedding.provider=openai", "--brain.embedding.openai.requests-per-minute=1000000",
				"--brain.embedding.openai.base-url=http://127.0.0.1:" + this.embeddings.getAddress().getPort() + "/v1",
				"--brain.search.cache-size=0", "--logging.level.root=WARN");
		int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
		this.base = "http://127.0.0.1:" + port;
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		Corpus corpus = Corpus.generate(this.docs, 42);
		this.queries = corpus.queries;
		if (reuse) {
			while (this.app.getBean(LocalIndexes.class).serving().isEmpty()) {
				Thread.sleep(100);
			}
		}
		else {
			load(corpus.documents);
			Files.createFile(loaded);
		}
		this.service = this.app.getBean(SearchService.class);
		this.index = this.app.getBean(LocalIndexes.class).acquireServing().orElseThrow();
		// every query's vector into the query-vector cache
		for (String q : this.queries) {
			this.service.search(q, 10, SearchGroup.CHUNK, "hybrid", "warm-up");
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.index.release();
		this.app.close();
		this.embeddings.stop(0);
	}

	private String query() {
		return this.queries.get(Math.floorMod(this.next.getAndIncrement() * 7919, this.queries.size()));
	}

	@Benchmark
	public List<SearchHit> lucene() throws IOException {
		Query query = new QueryFactory(256).create(query());
		return (query != null) ? this.index.search(query, 10, false) : List.of();
	}

	@Benchmark
	public SearchResponse serviceLexical() {
		return this.service.search(query(), 10, SearchGroup.CHUNK, "lexical", "bench");
	}

	@Benchmark
	public SearchResponse serviceHybrid() {
		return this.service.search(query(), 10, SearchGroup.CHUNK, "hybrid", "bench");
	}

	@Benchmark
	public int httpLexical() throws Exception {
		return get("lexical");
	}

	@Benchmark
	public int httpHybrid() throws Exception {
		return get("hybrid");
	}

	private int get(String mode) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.base + "/brain/search?k=10&mode=" + mode + "&q="
					+ URLEncoder.encode(query(), StandardCharsets.UTF_8)))
			.header("Authorization", "Bearer " + KEY)
			.build();
		HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("search answered " + response.statusCode());
		}
		return response.body().length;
	}

	private void load(List<String> documents) throws Exception {
		ObjectMapper json = new ObjectMapper();
		long version = json.readTree(send("POST", "/brain/versions", "{\"label\":\"bench\",\"base\":\"none\"}",
				"application/json"))
			.get("version")
			.asLong();
		for (int from = 0; from < documents.size(); from += 1000) {
			send("PUT", "/brain/versions/" + version + "/documents",
					String.join("\n", documents.subList(from, Math.min(documents.size(), from + 1000))),
					"application/x-ndjson");
		}
		while (!json.readTree(send("GET", "/brain/versions/" + version, null, null))
			.at("/progress/state")
			.asText()
			.equals("DONE")) {
			Thread.sleep(500);
		}
		send("POST", "/brain/versions/" + version + "/seal", null, null);
		send("POST", "/brain/versions/" + version + "/activate", "{\"force\":true}", "application/json");
		while (this.app.getBean(LocalIndexes.class).serving().isEmpty()) {
			Thread.sleep(100);
		}
	}

	private String send(String method, String path, String body, String type) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofMinutes(30))
			.header("Authorization", "Bearer " + KEY);
		if (type != null) {
			request.header("Content-Type", type);
		}
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody());
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		return response.body();
	}

	/** An OpenAI-compatible endpoint answering deterministic unit vectors at once. */
	private static HttpServer fakeEmbeddings() throws IOException {
		ObjectMapper json = new ObjectMapper();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/v1/embeddings", (exchange) -> {
			JsonNode request = json.readTree(exchange.getRequestBody());
			ObjectNode response = json.createObjectNode();
			ArrayNode data = response.putArray("data");
			int i = 0;
			for (JsonNode input : request.get("input")) {
				ObjectNode item = data.addObject();
				item.put("index", i++);
				ArrayNode vector = item.putArray("embedding");
				Random random = new Random(input.asText().hashCode());
				for (int d = 0; d < 384; d++) {
					vector.add((float) random.nextGaussian());
				}
			}
			byte[] body = json.writeValueAsBytes(response);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return server;
	}

	/**
	 * Documents of Zipf-distributed words from the Cranfield vocabulary, about 4,000
	 * characters each, and queries of 2-4 of the less common words.
	 */
	record Corpus(List<String> documents, List<String> queries) {

		static Corpus generate(int count, long seed) throws IOException {
			Map<String, Integer> frequency = new HashMap<>();
			for (String line : Files.readAllLines(Path.of("src/test/resources/datasets/cranfield/documents.ndjson"))) {
				for (String word : line.toLowerCase().split("[^a-z]+")) {
					if (word.length() > 2) {
						frequency.merge(word, 1, Integer::sum);
					}
				}
			}
			List<String> words = new ArrayList<>(frequency.keySet());
			words.sort(Comparator.comparing((String w) -> -frequency.get(w)).thenComparing(Comparator.naturalOrder()));
			double[] cumulative = new double[words.size()];
			double sum = 0;
			for (int i = 0; i < cumulative.length; i++) {
				sum += 1.0 / (i + 1);
				cumulative[i] = sum;
			}
			Random random = new Random(seed);
			ObjectMapper json = new ObjectMapper();
			List<String> documents = new ArrayList<>(count);
			for (int d = 0; d < count; d++) {
				ObjectNode doc = json.createObjectNode();
				doc.put("key", "doc-" + d);
				doc.put("title", sentence(words, cumulative, random, 3 + random.nextInt(6)));
				StringBuilder content = new StringBuilder();
				while (content.length() < 4000) {
					content.append(sentence(words, cumulative, random, 40 + random.nextInt(60))).append(".\n\n");
				}
				doc.put("content", content.toString());
				documents.add(json.writeValueAsString(doc));
			}
			List<String> queries = new ArrayList<>();
			for (int q = 0; q < 2000; q++) {
				List<String> terms = new ArrayList<>();
				int n = 2 + random.nextInt(3);
				for (int t = 0; t < n; t++) {
					terms.add(words.get(50 + random.nextInt(Math.min(2000, words.size() - 50))));
				}
				queries.add(String.join(" ", terms));
			}
			return new Corpus(documents, queries);
		}

		private static String sentence(List<String> words, double[] cumulative, Random random, int length) {
			StringBuilder sentence = new StringBuilder();
			for (int i = 0; i < length; i++) {
				double target = random.nextDouble() * cumulative[cumulative.length - 1];
				int at = java.util.Arrays.binarySearch(cumulative, target);
				sentence.append((i > 0) ? " " : "").append(words.get((at >= 0) ? at : -at - 1));
			}
			return sentence.toString();
		}

	}

}
