package io.brainplane.protect;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on problem+json refusals.
 */
final class Problems {

	private Problems() {
	}

	static void assertProblem(Api.Response response, int status, String slug, String detailContains) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.get("type").asText()).isEqualTo("https://brainplane.dev/problems/" + slug);
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("title").asText()).isNotBlank();
		assertThat(body.get("detail").asText()).contains(detailContains);
	}

}
