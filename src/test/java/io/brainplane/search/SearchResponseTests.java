package io.brainplane.search;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.search.internal.SearchJson;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search answer over real HTTP: written straight from a prepared JSON writer when the
 * client accepts JSON, through Spring MVC otherwise; either way the fields of
 * docs/api.md, the same headers and the same status.
 */
class SearchResponseTests extends IntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	ObjectMapper objectMapper;

	@Test
	void aSearchAnswersTheDocumentedFieldsWithItsHeaders() {
		long version = otterVersion();
		Api.Response response = api().get("/brain/search?q=otters&mode=lexical");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.header("Content-Type")).isEqualTo("application/json");
		assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(response.raw().getBytes().length));
		assertThat(response.header("X-Brain-Version")).isEqualTo(Long.toString(version));
		assertThat(response.header("X-Request-Id")).isNotBlank();
		// Spring Security's headers are still written on the response's commit
		assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.header("Cache-Control")).contains("no-store");
		JsonNode body = response.json();
		assertThat(fieldNames(body)).containsExactly("queryId", "version", "tookMs", "hit", "mode", "results");
		assertThat(body.get("queryId").asText()).isNotBlank();
		assertThat(body.get("version").asLong()).isEqualTo(version);
		assertThat(body.get("hit").asBoolean()).isTrue();
		assertThat(body.get("mode").asText()).isEqualTo("lexical");
		JsonNode first = body.get("results").get(0);
		assertThat(fieldNames(first)).containsExactly("documentKey", "title", "chunkId", "score", "text", "source",
				"metadata");
		assertThat(first.get("title").asText()).isEqualTo("Otters");
		assertThat(first.get("text").asText()).contains("Otters hold hands");
		assertThat(first.get("metadata").isObject()).as(first.toString()).isTrue();
	}

	/**
	 * The answer is written field by field ({@code SearchJson}), not by Jackson's bean
	 * serializers: byte for byte what the application's {@code ObjectMapper} writes for
	 * the same answer, whatever its strings, numbers, nulls and metadata hold.
	 */
	@Test
	void theAnswerIsByteForByteWhatTheApplicationsObjectMapperWrites() throws Exception {
		ObjectMapper mapper = this.objectMapper;
		SearchJson json = new SearchJson(mapper);
		List<SearchResponse> answers = List.of(
				new SearchResponse("0b4c4d7e-8c1a-4c8e-9f0e-3d2b1a0c9e8f", 42, 1.234567, true, "lexical",
						List.of(new SearchHit("doc-1", "Otters", 7, 3.1415927f, "Otters hold hands \"asleep\"\n\ttab",
								"s3://bucket/otters.md", "{\"lang\":\"en\",\"tags\":[1,2.5,null]}"),
								new SearchHit("d\u00e9j\u00e0 \u2603 \ud83e\udda6", null, Long.MAX_VALUE, 0.0f,
										"\u0000\u001f control </script>", null, null))),
				new SearchResponse(null, 0, 0.0, false, "hybrid", List.of()), new SearchResponse("q", Long.MIN_VALUE,
						1e-9, true, "semantic", List.of(new SearchHit("k", "t", 0, 1e-7f, "", "", "{}"))));
		for (SearchResponse answer : answers) {
			// the bytes the answer was written as before (UTF-8, surrogate pairs escaped)
			assertThat(new String(json.bytes(answer), java.nio.charset.StandardCharsets.UTF_8))
				.isEqualTo(new String(mapper.writerFor(SearchResponse.class).writeValueAsBytes(answer),
						java.nio.charset.StandardCharsets.UTF_8));
		}
	}

	@Test
	void everyAcceptThatAllowsJsonGetsTheSameJsonAndOthersGoThroughNegotiation() {
		otterVersion();
		for (String accept : List.of("*/*", "application/json", "application/*", "application/json;charset=UTF-8",
				"text/html, application/json;q=0.9", "text/html, */*;q=0.1")) {
			Api.Response response = api().withHeaders(Map.of("Accept", accept))
				.get("/brain/search?q=otters&mode=lexical");
			assertThat(response.status()).as(accept + ": " + response).isEqualTo(200);
			assertThat(response.header("Content-Type")).as(accept).startsWith("application/json");
			assertThat(fieldNames(response.json())).as(accept)
				.containsExactly("queryId", "version", "tookMs", "hit", "mode", "results");
			assertThat(response.json().at("/results/0/title").asText()).as(accept).isEqualTo("Otters");
		}
		// other types go through Spring MVC's content negotiation as before: XML where
		// Jackson's XML module is present, 406 where no converter writes the type
		Api.Response xml = api().withHeaders(Map.of("Accept", "application/xml"))
			.get("/brain/search?q=otters&mode=lexical");
		assertThat(xml.status()).as(xml.toString()).isEqualTo(200);
		assertThat(xml.header("Content-Type")).startsWith("application/xml");
		assertThat(xml.raw()).contains("<title>Otters</title>");
		assertThat(xml.header("X-Brain-Version")).isNotBlank();
		Api.Response refused = api().withHeaders(Map.of("Accept", "text/html"))
			.get("/brain/search?q=otters&mode=lexical");
		assertThat(refused.status()).as(refused.toString()).isEqualTo(406);
	}

	@Test
	void aHeadSearchAnswersHeadersWithoutABody() {
		long version = otterVersion();
		Api.Response response = api().send("HEAD", "/brain/search?q=otters&mode=lexical", null, null);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.raw()).isEmpty();
		assertThat(response.header("X-Brain-Version")).isEqualTo(Long.toString(version));
		assertThat(response.header("Content-Type")).isEqualTo("application/json");
	}

	@Test
	void badParametersStillGetAProblem() {
		otterVersion();
		Api.Response response = api().get("/brain/search?q=otters&k=0");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asText()).isNotBlank();
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new java.util.ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

}
