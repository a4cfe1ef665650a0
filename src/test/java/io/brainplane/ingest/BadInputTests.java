package io.brainplane.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BadInputTests extends IntegrationTest {

	private long active;

	@BeforeEach
	void activeVersion() {
		this.active = sealedVersion("none", List.of(doc(unique("k"), "Kiwi", "Kiwis are flightless birds.")));
		activate(this.active);
	}

	@Test
	void searchWithoutQueryIsBadRequest() {
		assertProblem(api().get("/brain/search"), 400, "q");
		assertProblem(api().get("/brain/search?q=%20%20"), 400, "q");
	}

	@Test
	void searchWithOversizedQueryIsBadRequest() {
		assertProblem(api().get("/brain/search?q=" + "a".repeat(1001)), 400, "1000");
		assertThat(api().get("/brain/search?q=%20" + "a".repeat(1000) + "%20").status()).isEqualTo(200);
	}

	@Test
	void searchWithKOutOfRangeIsBadRequest() {
		assertProblem(api().get("/brain/search?q=kiwi&k=0"), 400, "k");
		assertProblem(api().get("/brain/search?q=kiwi&k=101"), 400, "k");
		assertProblem(api().get("/brain/search?q=kiwi&k=-3"), 400, "k");
		assertProblem(api().get("/brain/search?q=kiwi&k=ten"), 400, "k");
		assertProblem(api().get("/brain/search?q=kiwi&group=page"), 400, "group");
	}

	@Test
	void unknownVersionIsNotFound() {
		assertProblem(api().get("/brain/versions/987654"), 404, "987654");
		assertProblem(api().post("/brain/versions/987654/seal", null), 404, "987654");
		assertProblem(api().post("/brain/versions/987654/activate", null), 404, "987654");
		assertProblem(
				api().put("/brain/versions/987654/documents", Map.of("documents", List.of(doc("a", "A", "text")))), 404,
				"987654");
		assertProblem(api().post("/brain/rollback", Map.of("to", 987654)), 404, "987654");
		assertProblem(api().get("/brain/diff?from=987654&to=" + this.active), 404, "987654");
		assertProblem(api().post("/brain/versions", Map.of("base", "987654")), 404, "987654");
	}

	@Test
	void wrongStateIsConflict() {
		assertProblem(api().put("/brain/versions/" + this.active + "/documents",
				Map.of("documents", List.of(doc("a", "A", "text")))), 409, "ACTIVE");
		assertProblem(api().post("/brain/versions/" + this.active + "/seal", null), 409, "ACTIVE");
		assertProblem(api().post("/brain/versions/" + this.active + "/activate", null), 409, "already active");
		long building = createVersion("none");
		assertProblem(api().post("/brain/versions/" + building + "/activate", null), 409, "BUILDING");
	}

	@Test
	void sealingAnEmptyVersionIsUnprocessableAndLeavesItBuilding() {
		long version = createVersion("none");
		Api.Response response = api().post("/brain/versions/" + version + "/seal", null);
		assertProblem(response, 422, "no documents");
		assertThat(response.json().get("failures")).hasSize(1);
		assertThat(api().get("/brain/versions/" + version).json().get("state").asText()).isEqualTo("BUILDING");
	}

	@Test
	void emptyOrOversizedContentIsBadRequestNamingTheField() {
		long version = createVersion("none");
		Api.Response empty = api().put("/brain/versions/" + version + "/documents",
				Map.of("documents", List.of(doc("a", "A", "ok"), doc("b", "B", "  "))));
		assertProblem(empty, 400, "documents[1].content");
		assertThat(empty.json().get("errors").get(0).get("field").asText()).isEqualTo("documents[1].content");
		Api.Response big = api().put("/brain/versions/" + version + "/documents",
				Map.of("documents", List.of(doc("a", "A", "x".repeat(1024 * 1024 + 1)))));
		assertProblem(big, 400, "documents[0].content");
		assertProblem(api().put("/brain/versions/" + version + "/documents",
				Map.of("documents", List.of(doc("k".repeat(513), "A", "text")))), 400, "documents[0].key");
		assertProblem(
				api().put("/brain/versions/" + version + "/documents",
						Map.of("documents", List.of(doc("same", "A", "one"), doc("same", "B", "two")))),
				400, "duplicate");
		assertMembership(version, 0);
	}

	@Test
	void malformedJsonIsBadRequest() {
		long version = createVersion("none");
		assertProblem(
				api().send("PUT", "/brain/versions/" + version + "/documents", "{\"documents\": [", "application/json"),
				400, "not valid JSON");
		assertProblem(
				api().send("PUT", "/brain/versions/" + version + "/documents",
						"{\"documents\": [{\"key\": \"a\", \"contents\": \"x\"}]}", "application/json"),
				400, "contents");
		assertProblem(api().send("PUT", "/brain/versions/" + version + "/documents", "{\"documents\": 7}",
				"application/json"), 400, "documents");
	}

	@Test
	void malformedNdjsonLineIsBadRequestNamingTheLine() {
		long version = createVersion("none");
		String body = "{\"key\":\"a\",\"content\":\"first\"}\n{\"key\":\"b\",\"content\":\"second\"}\n{\"key\":\"c\",\n";
		Api.Response response = api().send("PUT", "/brain/versions/" + version + "/documents", body,
				"application/x-ndjson");
		assertProblem(response, 400, "line 3");
		assertMembership(version, 0);
	}

	@Test
	void ndjsonBulkLoadAddsEveryLine() {
		long version = createVersion("none");
		String body = "{\"key\":\"a\",\"content\":\"first\"}\n\n{\"key\":\"b\",\"content\":\"second\",\"metadata\":{\"lang\":\"en\"}}\n";
		Api.Response response = api().send("PUT", "/brain/versions/" + version + "/documents", body,
				"application/x-ndjson");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("upserted").asInt()).isEqualTo(2);
		assertMembership(version, 2);
	}

	@Test
	void tooManyDocumentsIsBadRequest() {
		long version = createVersion("none");
		List<Map<String, Object>> documents = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			documents.add(doc("d" + i, "D", "text " + i));
		}
		assertProblem(api().put("/brain/versions/" + version + "/documents", Map.of("documents", documents)), 400,
				"1000");
		assertMembership(version, 0);
	}

	@Test
	void rejectedBatchLeavesMembershipAsItWas() {
		long version = createVersion("none");
		api().put("/brain/versions/" + version + "/documents",
				Map.of("documents", List.of(doc("keep", "Keep", "original text"))));
		Api.Response rejected = api().put("/brain/versions/" + version + "/documents", Map.of("documents",
				List.of(doc("keep", "Keep", "replaced text"), doc("", "Bad", "no key")), "deletes", List.of("keep2")));
		assertThat(rejected.status()).isEqualTo(400);
		assertMembership(version, 1);
		assertThat(this.jdbc.sql("""
				select r.content from version_member m join document_revision r on r.id = m.revision_id
				where m.version = ? and m.document_key = 'keep'
				""").param(version).query(String.class).single()).isEqualTo("original text");
	}

	@Test
	void unknownPathIsProblemJson() {
		assertProblem(api().get("/brain/nothing-here"), 404, "No endpoint GET /brain/nothing-here");
		assertThat(api().get("/brain/nothing-here").header("X-Request-Id")).isNotBlank();
		assertThat(api().withHeaders(Map.of("X-Request-Id", "trace-42")).get("/brain/health").header("X-Request-Id"))
			.isEqualTo("trace-42");
	}

	private void assertMembership(long version, int expected) {
		assertThat(this.jdbc.sql("select count(*) from version_member where version = ?")
			.param(version)
			.query(Long.class)
			.single()).isEqualTo(expected);
	}

	static void assertProblem(Api.Response response, int status, String detailContains) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.get("type").asText()).startsWith("https://brainplane.dev/problems/");
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("title").asText()).isNotBlank();
		assertThat(body.get("detail").asText()).contains(detailContains);
		assertThat(response.raw()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("select ");
	}

}
