package io.brainplane.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.brainplane.support.Api;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pulse delivery against a real HTTP server and against a closed port, on replicas of
 * their own (the webhook URL differs).
 */
class PulseWebhookTests {

	private static final String FAST_RETRY = "--resilience4j.retry.instances.pulse.wait-duration=20ms";

	@TempDir
	Path dataDir;

	@Test
	void pulseIsPostedToTheWebhookAsSlackText() throws IOException {
		List<String> bodies = new CopyOnWriteArrayList<>();
		List<String> types = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/hooks/T000/secret", (exchange) -> {
			types.add(exchange.getRequestHeaders().getFirst("Content-Type"));
			bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		try (SecondReplica replica = SecondReplica.start(TestDatabase.createDatabase("ops_pulse_ok"), this.dataDir,
				"--brain.pulse.webhook-url=http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T000/secret",
				FAST_RETRY)) {
			Api.Response response = replica.api().post("/brain/pulses", null);
			assertThat(response.status()).as(response.toString()).isEqualTo(201);
			assertThat(response.json().get("delivered").asBoolean()).isTrue();
			assertThat(response.json().has("error")).isFalse();
			assertThat(bodies).hasSize(1);
			JsonNode posted = new ObjectMapper().readTree(bodies.get(0));
			assertThat(posted.size()).isEqualTo(1);
			assertThat(posted.get("text").asText()).isEqualTo(response.json().get("summary").get("text").asText())
				.startsWith("Brainplane manual pulse: no active version");
			assertThat(types.get(0)).startsWith("application/json");
			JsonNode listed = replica.api().get("/brain/pulses").json().get("pulses").get(0);
			assertThat(listed.get("delivered").asBoolean()).isTrue();
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void unreachableWebhookOpensTheBreakerAndRecordsTheFailureWhileSearchAnswers() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		try (SecondReplica replica = SecondReplica.start(TestDatabase.createDatabase("ops_pulse_down"), this.dataDir,
				"--brain.pulse.webhook-url=http://127.0.0.1:" + closed + "/hooks/T000/secret-token", FAST_RETRY)) {
			Api api = replica.api();
			long version = api.post("/brain/versions", Map.of("label", "pulse")).json().get("version").asLong();
			api.put("/brain/versions/" + version + "/documents", Map.of("documents",
					List.of(Map.of("key", "kb/a", "title", "Reset", "content", "Reset your password in settings."))));
			assertThat(api.post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
			assertThat(api.post("/brain/versions/" + version + "/activate", Map.of()).status()).isEqualTo(200);

			// 3 attempts per pulse: the 5th failed attempt (in the second pulse) opens it
			JsonNode first = api.post("/brain/pulses", null).json();
			assertThat(first.get("delivered").asBoolean()).isFalse();
			assertThat(first.get("error").asText()).contains("3 attempts").doesNotContain("secret-token");
			assertThat(breakerState(replica)).isEqualTo("CLOSED");
			JsonNode second = api.post("/brain/pulses", null).json();
			assertThat(second.get("delivered").asBoolean()).isFalse();
			JsonNode third = api.post("/brain/pulses", null).json();
			assertThat(third.get("error").asText()).contains("circuit breaker pulse is open");

			assertThat(breakerState(replica)).isEqualTo("OPEN");
			// an open pulse breaker does not fail the application's health
			assertThat(replica.management().get("/actuator/health").json().get("status").asText()).isEqualTo("UP");
			JsonNode breaker = replica.management()
				.get("/actuator/health")
				.json()
				.path("components")
				.path("circuitBreakers")
				.path("details")
				.path("pulse");
			assertThat(breaker.path("details").path("state").asText()).isEqualTo("OPEN");
			assertThat(breaker.path("status").asText()).isEqualTo("CIRCUIT_OPEN");
			assertThat(replica.management().get("/actuator/prometheus").raw())
				.contains("resilience4j_circuitbreaker_state{")
				.containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"pulse\"[^}]*state=\"open\"[^}]*} 1.0")
				.containsPattern("(?m)^brain_active_version\\{[^}]*} " + version + ".0$")
				.containsPattern("(?m)^brain_index_freshness_seconds\\{")
				.containsPattern("(?m)^brain_replica_lag_seconds\\{")
				.containsPattern("(?m)^brain_replica_ready\\{")
				.containsPattern("(?m)^brain_active_documents\\{[^}]*} 1.0$")
				.containsPattern("(?m)^brain_active_chunks\\{");

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(api.get("/brain/search?q=password").status()).isEqualTo(200));
			JsonNode recorded = api.get("/brain/pulses?limit=3").json().get("pulses");
			assertThat(recorded).hasSize(3);
			recorded.forEach((pulse) -> {
				assertThat(pulse.get("delivered").asBoolean()).isFalse();
				assertThat(pulse.get("error").asText()).isNotBlank().doesNotContain("secret-token");
			});
			assertThat(recorded.get(0).get("summary").get("activeVersion").asLong()).isEqualTo(version);
		}
	}

	private static String breakerState(SecondReplica replica) {
		return replica.management()
			.get("/actuator/health")
			.json()
			.path("components")
			.path("circuitBreakers")
			.path("details")
			.path("pulse")
			.path("details")
			.path("state")
			.asText();
	}

}
