package io.brainplane.platform;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text that PostgreSQL, Lucene or a log reader cannot take is refused where it enters,
 * with a 400 naming the field, and the refused request changes nothing.
 */
class TextInputTests extends IntegrationTest {

	@Test
	void aSearchWithNulOrANoncharacterIsRefusedNamingTheParameterAndIsNotRecorded() {
		long recorded = count("rag_hits");
		assertRefused(readerApi().get("/brain/search?q=kiwi%00bird"), "q", "U+0000");
		assertRefused(readerApi().get("/brain/search?q=kiwi%EF%BF%BFbird"), "q", "U+FFFF");
		assertRefused(readerApi().get("/brain/search?q=kiwi%1Bbird"), "q", "U+001B");
		assertRefused(readerApi().get("/brain/search?q=kiwi&k%00=3"), "a parameter name", "U+0000");
		assertThat(count("rag_hits")).isEqualTo(recorded);
		assertThat(readerApi().get("/brain/search?q=tabs%09and%0Anewlines%0Dstay").status()).isIn(200, 404, 503);
	}

	@Test
	void feedbackWithNulInTheDocumentKeyIsABadRequestNotAServerError() {
		Map<String, Object> body = Map.of("queryId", UUID.randomUUID().toString(), "relevant", true, "documentKey",
				"doc\u0000key");
		assertRefused(readerApi().post("/brain/feedback", body), "documentKey", "U+0000");
	}

	@Test
	void documentsWithBadTextAreRefusedFieldByFieldAndNothingIsStored() {
		long version = createVersion("none");
		long revisions = count("document_revision");
		String path = "/brain/versions/" + version + "/documents";
		assertRefused(api().put(path, Map.of("documents", List.of(doc("k\u0000", "t", "c")))), "documents[0].key",
				"U+0000");
		assertRefused(api().put(path, Map.of("documents", List.of(doc("k", "title\uFFFE", "c")))), "documents[0].title",
				"noncharacter U+FFFE");
		assertRefused(api().put(path,
				"{\"documents\":[{\"key\":\"k\",\"content\":\"c\"},{\"key\":\"k2\",\"content\":\"c\\uD800\"}]}"),
				"documents[1].content", "unpaired surrogate U+D800");
		assertRefused(api().put(path,
				"{\"documents\":[{\"key\":\"k\",\"content\":\"c\",\"metadata\":{\"tags\":[\"a\",\"\\uFDD0\"]}}]}"),
				"documents[0].metadata.tags[1]", "U+FDD0");
		assertRefused(
				api().put(path,
						"{\"documents\":[{\"key\":\"k\",\"content\":\"c\",\"metadata\":{\"bad\\u0000name\":1}}]}"),
				"a field name in documents[0].metadata", "U+0000");
		assertRefused(api().send("PUT", path,
				"{\"key\":\"k\",\"content\":\"fine\"}\n{\"key\":\"k2\",\"content\":\"a\\u0000b\"}\n",
				"application/x-ndjson"), "documents[1].content", "U+0000");
		assertRefused(api().send("PUT", path,
				"{\"key\":\"k\",\"content\":\"c\",\"metadata\":{\"x\":{\"y\":\"\\u0000\"}}}\n", "application/x-ndjson"),
				"documents[0].metadata.x.y", "U+0000");
		assertThat(count("document_revision")).isEqualTo(revisions);
		assertThat(api().put(path, Map.of("documents", List.of(doc("k", "page\fbreak", "tab\tline\ncr\r")))).status())
			.isEqualTo(200);
	}

	@Test
	void labelsReasonsEvalSetsAndPathVariablesAreCheckedToo() {
		long versions = count("brain_index");
		assertRefused(api().post("/brain/versions", "{\"label\":\"x\\ud800\"}"), "label", "unpaired surrogate");
		assertThat(count("brain_index")).isEqualTo(versions);
		assertRefused(api().post("/brain/rollback", Map.of("reason", "bell\u0007")), "reason", "U+0007");
		String set = unique("set");
		assertRefused(
				api().put("/brain/eval-sets/" + set,
						Map.of("queries", List.of(Map.of("q", "fine", "relevant", List.of("a\u0000"))))),
				"queries[0].relevant[0]", "U+0000");
		assertRefused(api().put("/brain/eval-sets/bad%EF%BF%BEname",
				Map.of("queries", List.of(Map.of("q", "fine", "relevant", List.of("a"))))), "name", "U+FFFE");
	}

	private static void assertRefused(Api.Response response, String field, String reason) {
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.get("type").asText()).isEqualTo("https://brainplane.dev/problems/invalid-request");
		assertThat(body.get("detail").asText()).as(response.toString()).startsWith(field + ": ").contains(reason);
		assertThat(body.at("/errors/0/field").asText()).isEqualTo(field);
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

}
