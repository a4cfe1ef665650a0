package io.brainplane.platform;

import java.util.Map;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong method, body type or wanted response type gets a problem whose detail says what
 * was wrong, not only the status's reason phrase.
 */
class HttpErrorDetailTests extends IntegrationTest {

	@Test
	void aMethodTheRouteDoesNotServeIsNamed() {
		Api.Response response = api().send("PATCH", "/brain/search?q=a", null, null);

		assertProblem(response, 405, "method-not-allowed");
		assertThat(response.header("Allow")).isEqualTo("GET");
		assertThat(response.json().get("detail").asText()).isEqualTo("Method 'PATCH' is not supported.");
	}

	@Test
	void aBodyTypeTheRouteDoesNotReadIsNamed() {
		Api.Response response = api().send("POST", "/brain/versions", "label=x", "text/plain");

		assertProblem(response, 415, "unsupported-media-type");
		assertThat(response.json().get("detail").asText()).startsWith("Content-Type 'text/plain")
			.endsWith("is not supported.");
	}

	@Test
	void anAnswerTypeTheRouteCannotWriteIsRefusedNamingWhatItCan() {
		Api.Response response = readerApi().withHeaders(Map.of("Accept", "text/html")).get("/brain/versions");

		assertProblem(response, 406, "not-acceptable");
		assertThat(response.json().get("detail").asText()).contains("application/json");
	}

	@Test
	void aPathNoRouteServesIsNamed() {
		Api.Response response = readerApi().get("/brain/nonexistent");

		assertProblem(response, 404, "not-found");
		assertThat(response.json().get("detail").asText()).isEqualTo("No endpoint GET /brain/nonexistent");
	}

	private static void assertProblem(Api.Response response, int status, String type) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").asText()).isEqualTo("https://brainplane.dev/problems/" + type);
		assertThat(response.json().get("requestId").asText()).isNotBlank();
	}

}
