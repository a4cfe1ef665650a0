package io.brainplane.protect;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.support.Api;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.TestKeys;
import io.brainplane.support.Webhooks;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static io.brainplane.protect.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class RequestLimitTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void bodiesLargerThanTheirCapAreRefusedWhetherOrNotTheirLengthIsDeclared() throws Exception {
		try (SecondReplica app = SecondReplica.start(TestDatabase.createDatabase("brain_request_limits"),
				Files.createTempDirectory("limits"), "--brain.security.max-request-bytes=2KB",
				"--brain.webhook.max-bytes=1KB")) {
			long version = app.api().post("/brain/versions", Map.of("label", "limits")).json().get("version").asLong();
			String big = JSON
				.writeValueAsString(Map.of("documents", List.of(Map.of("key", "big", "content", "x".repeat(3000)))));
			String path = "/brain/versions/" + version + "/documents";
			assertProblem(app.api().put(path, big), 413, "payload-too-large", "2048");
			Api.Response chunked = chunked(app, path, big);
			assertProblem(chunked, 413, "payload-too-large", "2048");
			String small = JSON
				.writeValueAsString(Map.of("documents", List.of(Map.of("key", "small", "content", "x".repeat(1500)))));
			assertThat(app.api().put(path, small).status()).isEqualTo(200);
			assertThat(chunked(app, path, small).status()).isEqualTo(200);
			assertThat(app.bean(JdbcClient.class)
				.sql("select document_key from version_member where version = ?")
				.param(version)
				.query(String.class)
				.list()).containsExactly("small");

			String delivery = JSON
				.writeValueAsString(Map.of("documents", List.of(Map.of("key", "hook", "content", "x".repeat(1500)))));
			assertProblem(Webhooks.deliver(app.anonymousApi(), "too-big", delivery), 413, "payload-too-large", "1024");
		}
	}

	private static Api.Response chunked(SecondReplica app, String path, String body) throws Exception {
		// A body from a stream is sent chunked, without Content-Length.
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
			.header("Authorization", "Bearer " + TestKeys.OPERATOR)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers
				.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		return new Api.Response(response.statusCode(), response.headers().map(), response.body());
	}

}
