package io.brainplane.ingest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.brainplane.support.Api;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingestion through the {@code openai} provider against an OpenAI-compatible endpoint
 * started in the test: a failing endpoint is retried with backoff by the job, and an
 * endpoint that keeps failing leaves a failed job and a version that refuses to seal,
 * never a half-built one.
 */
class EmbeddingFailureTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String KEY = "sk-test-never-shown";

	private static final AtomicReference<String> behaviour = new AtomicReference<>("ok");

	private static final AtomicInteger failuresLeft = new AtomicInteger();

	private static final AtomicInteger requests = new AtomicInteger();

	private static HttpServer endpoint;

	private static SecondReplica replica;

	@BeforeAll
	static void start() throws IOException {
		endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		endpoint.createContext("/v1/embeddings", EmbeddingFailureTests::answer);
		endpoint.start();
		replica = SecondReplica.start(TestDatabase.createDatabase("embedding_failures"),
				Files.createTempDirectory("embedding-failures"), "--brain.embedding.provider=openai",
				"--brain.embedding.openai.base-url=http://127.0.0.1:" + endpoint.getAddress().getPort() + "/v1",
				"--brain.embedding.openai.model=fake-embedder", "--brain.embedding.openai.api-key=" + KEY,
				"--brain.embedding.openai.max-attempts=1", "--brain.ingest.job-attempts=3",
				"--brain.ingest.job-backoff=300ms", "--brain.ingest.seal-wait=0s",
				"--resilience4j.circuitbreaker.instances.embedding.wait-duration-in-open-state=1s");
	}

	@AfterAll
	static void stop() {
		replica.close();
		endpoint.stop(0);
	}

	@Test
	void aJobRetriesAFailingEndpointWithBackoffAndFinishes() {
		behaviour.set("fail-then-ok");
		failuresLeft.set(2);
		long version = load("retry", 5);

		JsonNode job = awaitJob(version, "DONE");
		assertThat(job.get("attempts").asInt()).as(job.toString()).isEqualTo(3);
		Api.Response sealed = replica.api().post("/brain/versions/" + version + "/seal", null);
		assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
		assertThat(sealed.json().get("embeddingModel").asText()).isEqualTo("openai:fake-embedder");
		assertThat(sealed.json().get("embeddingDimension").asInt()).isEqualTo(8);
		replica.api().post("/brain/versions/" + version + "/activate", Map.of());
		Api.Response search = replica.api().get("/brain/search?q=turbulent+wake&mode=semantic");
		assertThat(search.status()).as(search.toString()).isEqualTo(200);
		assertThat(search.json().get("results")).isNotEmpty();
	}

	@Test
	void anEndpointThatRefusesLeavesAFailedJobAndAVersionThatWillNotSeal() {
		behaviour.set("refuse");
		long version = load("refused", 4);

		JsonNode job = awaitJob(version, "FAILED");
		assertThat(job.get("attempts").asInt()).as("a refused key is not retried").isEqualTo(1);
		assertThat(job.get("error").asText()).contains("401").doesNotContain(KEY);
		JsonNode progress = replica.api().get("/brain/versions/" + version).json().get("progress");
		assertThat(progress.get("state").asText()).isEqualTo("FAILED");
		assertThat(progress.get("failed").asInt()).isEqualTo(4);

		Api.Response refused = replica.api().post("/brain/versions/" + version + "/seal", null);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
		assertThat(refused.json().get("detail").asText()).contains("ingestion failed for 4 documents")
			.doesNotContain(KEY);
		assertThat(replica.api().get("/brain/versions/" + version).json().get("state").asText()).isEqualTo("BUILDING");

		behaviour.set("ok");
		Api.Response retried = replica.api().post("/brain/versions/" + version + "/jobs/retry", null);
		assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
		assertThat(retried.json().get("queued").asInt()).isEqualTo(1);
		awaitJob(version, "DONE");
		assertThat(replica.api().post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
	}

	private static long load(String prefix, int documents) {
		long version = replica.api().post("/brain/versions", Map.of("base", "none")).json().get("version").asLong();
		Api.Response put = replica.api()
			.put("/brain/versions/" + version + "/documents",
					Map.of("documents", IngestionJobTests.documents(prefix, documents)));
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		return version;
	}

	private static JsonNode awaitJob(long version, String state) {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> job(version).get("state").asText().equals(state));
		return job(version);
	}

	private static JsonNode job(long version) {
		return replica.api().get("/brain/versions/" + version + "/jobs").json().get("jobs").get(0);
	}

	private static void answer(HttpExchange exchange) throws IOException {
		requests.incrementAndGet();
		JsonNode request = JSON.readTree(exchange.getRequestBody());
		String mode = behaviour.get();
		if (mode.equals("refuse")) {
			respond(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}");
			return;
		}
		if (mode.equals("fail-then-ok") && failuresLeft.getAndDecrement() > 0) {
			respond(exchange, 500, "{\"error\":{\"message\":\"overloaded\"}}");
			return;
		}
		List<Map<String, Object>> data = new ArrayList<>();
		int index = 0;
		for (JsonNode input : request.get("input")) {
			data.add(Map.of("object", "embedding", "index", index++, "embedding", vector(input.asText())));
		}
		respond(exchange, 200, JSON.writeValueAsString(Map.of("object", "list", "data", data, "model", "fake-embedder",
				"usage", Map.of("prompt_tokens", 1, "total_tokens", 1))));
	}

	/** A deterministic 8-dimensional vector from the text. */
	private static float[] vector(String text) {
		float[] vector = new float[8];
		for (int i = 0; i < text.length(); i++) {
			vector[(text.charAt(i) * 31 + i) % 8] += 1;
		}
		return vector;
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
