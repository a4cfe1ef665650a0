package io.brainplane.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/openapi.json} is the description the service serves. After changing the
 * API, regenerate it with
 * {@code ./mvnw -B test -Dtest=OpenApiDocumentTests -Dopenapi.write=true}.
 */
class OpenApiDocumentTests extends IntegrationTest {

	private static final Path COMMITTED = Path.of("docs/openapi.json");

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void committedOpenApiDocumentMatchesTheServedOne() throws IOException {
		Api.Response response = api().get("/v3/api-docs");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		ObjectNode served = (ObjectNode) response.json();
		// the server URL carries the random test port
		served.remove("servers");
		if (Boolean.getBoolean("openapi.write")) {
			Files.writeString(COMMITTED, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
		}
		assertThat(Files.exists(COMMITTED))
			.as("docs/openapi.json is missing; regenerate it with "
					+ "./mvnw -B test -Dtest=OpenApiDocumentTests -Dopenapi.write=true")
			.isTrue();
		JsonNode committed = JSON.readTree(COMMITTED.toFile());
		assertThat(served)
			.as("docs/openapi.json differs from the served /v3/api-docs; regenerate it with "
					+ "./mvnw -B test -Dtest=OpenApiDocumentTests -Dopenapi.write=true and commit it")
			.isEqualTo(committed);
	}

	@Test
	void swaggerUiIsServedOnTheApiPort() {
		Api.Response response = api().get("/swagger-ui/index.html");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.raw()).contains("swagger");
		JsonNode docs = api().get("/v3/api-docs").json();
		assertThat(docs.path("paths").has("/brain/pulses")).isTrue();
		assertThat(docs.path("paths").has("/brain/search")).isTrue();
	}

}
