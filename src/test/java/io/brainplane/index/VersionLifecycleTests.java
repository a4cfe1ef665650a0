package io.brainplane.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VersionLifecycleTests extends IntegrationTest {

	@Test
	void versionGoesFromBuildingToReadyToActiveAndIsSearched() {
		String key = unique("guide");
		long version = createVersion("none");
		Api api = api();
		assertThat(api.get("/brain/versions/" + version).json().get("state").asText()).isEqualTo("BUILDING");

		Api.Response put = api.put("/brain/versions/" + version + "/documents", Map.of("documents",
				List.of(doc(key, "Zebra grooming", "Zebras are groomed with a stiff brush every morning."))));
		assertThat(put.json().get("upserted").asInt()).isEqualTo(1);

		JsonNode sealed = api.post("/brain/versions/" + version + "/seal", null).json();
		assertThat(sealed.get("state").asText()).isEqualTo("READY");
		assertThat(sealed.get("documentCount").asInt()).isEqualTo(1);
		assertThat(sealed.get("chunkCount").asInt()).isEqualTo(1);
		assertThat(sealed.get("checksum").asText()).hasSize(64);
		assertThat(sealed.get("sealedAt").isNull()).isFalse();

		JsonNode activation = activate(version);
		assertThat(activation.get("to").asLong()).isEqualTo(version);
		assertThat(activation.get("kind").asText()).isEqualTo("activate");
		assertThat(activation.get("durationMs").asDouble()).isPositive();
		assertThat(api.get("/brain/versions/" + version).json().get("state").asText()).isEqualTo("ACTIVE");

		Api.Response search = api.get("/brain/search?q=zebra+brush&k=5");
		assertThat(search.status()).isEqualTo(200);
		assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(version));
		JsonNode body = search.json();
		assertThat(body.get("version").asLong()).isEqualTo(version);
		assertThat(body.get("hit").asBoolean()).isTrue();
		assertThat(body.get("queryId").asText()).isNotBlank();
		JsonNode first = body.get("results").get(0);
		assertThat(first.get("documentKey").asText()).isEqualTo(key);
		assertThat(first.get("title").asText()).isEqualTo("Zebra grooming");
		assertThat(first.get("score").asDouble()).isPositive();
		assertThat(first.get("chunkId").asLong()).isPositive();
		assertThat(first.get("metadata").isObject()).isTrue();
	}

	@Test
	void groupByDocumentReturnsEachDocumentOnceWithItsBestChunk() {
		String longText = ("Penguins huddle for warmth in the Antarctic winter. ").repeat(60)
				+ "\n\nPenguin chicks are fed by both parents.";
		long version = sealedVersion("none", List.of(doc(unique("penguins"), "Penguins", longText),
				doc(unique("puffins"), "Puffins", "Puffins are not penguins but they look alike.")));
		activate(version);
		JsonNode chunks = api().get("/brain/search?q=penguins&k=10&group=chunk").json().get("results");
		JsonNode documents = api().get("/brain/search?q=penguins&k=10&group=document").json().get("results");
		List<String> chunkKeys = new ArrayList<>();
		chunks.forEach((hit) -> chunkKeys.add(hit.get("documentKey").asText()));
		List<String> documentKeys = new ArrayList<>();
		documents.forEach((hit) -> documentKeys.add(hit.get("documentKey").asText()));
		assertThat(chunkKeys.size()).isGreaterThan(documentKeys.size());
		assertThat(documentKeys).doesNotHaveDuplicates().hasSize(2);
	}

	@Test
	void versionsAreListedNewestFirstInPages() {
		long older = createVersion("none");
		long newer = createVersion("none");
		JsonNode page = api().get("/brain/versions?limit=1").json();
		assertThat(page.get("versions")).hasSize(1);
		assertThat(page.get("versions").get(0).get("version").asLong()).isEqualTo(newer);
		long next = page.get("next").asLong();
		JsonNode second = api().get("/brain/versions?limit=1&before=" + next).json();
		assertThat(second.get("versions").get(0).get("version").asLong()).isEqualTo(older);
	}

	@Test
	void diffCountsAddedRemovedChangedAndUnchanged() {
		String same = unique("same");
		String changed = unique("changed");
		String removed = unique("removed");
		String added = unique("added");
		long from = sealedVersion("none", List.of(doc(same, "Same", "Stays the same."),
				doc(changed, "Changed", "Before the change."), doc(removed, "Removed", "Will be removed.")));
		long to = createVersion(Long.toString(from));
		api().put("/brain/versions/" + to + "/documents",
				Map.of("documents", List.of(doc(changed, "Changed", "After the change."), doc(added, "Added", "New.")),
						"deletes", List.of(removed)));
		JsonNode diff = api().get("/brain/diff?from=" + from + "&to=" + to).json();
		assertThat(diff.get("added").get("count").asInt()).isEqualTo(1);
		assertThat(diff.get("added").get("keys").get(0).asText()).isEqualTo(added);
		assertThat(diff.get("removed").get("count").asInt()).isEqualTo(1);
		assertThat(diff.get("removed").get("keys").get(0).asText()).isEqualTo(removed);
		assertThat(diff.get("changed").get("count").asInt()).isEqualTo(1);
		assertThat(diff.get("changed").get("keys").get(0).asText()).isEqualTo(changed);
		assertThat(diff.get("unchanged").get("count").asInt()).isEqualTo(1);
		assertThat(api().get("/brain/diff?from=" + from + "&to=" + to + "&limit=0").json().get("added").get("keys"))
			.isEmpty();
	}

	@Test
	void unchangedDocumentIsStoredOnceAcrossThreeVersions() {
		String key = unique("shared");
		Map<String, Object> document = doc(key, "Shared", "This document never changes.");
		long first = sealedVersion("none", List.of(document));
		long second = createVersion(Long.toString(first));
		Api.Response again = api().put("/brain/versions/" + second + "/documents",
				Map.of("documents", List.of(document)));
		assertThat(again.json().get("unchanged").asInt()).isEqualTo(1);
		api().post("/brain/versions/" + second + "/seal", null);
		long third = sealedVersion(Long.toString(second), List.of(doc(unique("other"), "Other", "Something else.")));

		assertThat(this.jdbc.sql("select count(*) from document_revision where document_key = ?")
			.param(key)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(distinct revision_id) from version_member where document_key = ?")
			.param(key)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from version_member where document_key = ? and version in (?, ?, ?)")
			.params(key, first, second, third)
			.query(Long.class)
			.single()).isEqualTo(3);
	}

	@Test
	void rollbackWithoutToReturnsToThePreviouslyActiveVersion() {
		long first = sealedVersion("none", List.of(doc(unique("a"), "A", "Alpha content.")));
		long second = sealedVersion("none", List.of(doc(unique("b"), "B", "Beta content.")));
		activate(first);
		activate(second);
		Api.Response rollback = api().post("/brain/rollback", Map.of("reason", "bad answers"));
		assertThat(rollback.status()).as(rollback.toString()).isEqualTo(200);
		JsonNode body = rollback.json();
		assertThat(body.get("from").asLong()).isEqualTo(second);
		assertThat(body.get("to").asLong()).isEqualTo(first);
		assertThat(body.get("kind").asText()).isEqualTo("rollback");
		assertThat(body.get("durationMs").asDouble()).isPositive();
		assertThat(body.get("activatedAt").asText()).isNotBlank();
		assertThat(api().get("/brain/search?q=alpha").header("X-Brain-Version")).isEqualTo(Long.toString(first));
		assertThat(api().get("/brain/versions/" + second).json().get("state").asText()).isEqualTo("RETIRED");

		JsonNode log = api().get("/brain/activations?limit=1").json().get("activations").get(0);
		assertThat(log.get("kind").asText()).isEqualTo("rollback");
		assertThat(log.get("reason").asText()).isEqualTo("bad answers");
		assertThat(log.get("from").asLong()).isEqualTo(second);
		assertThat(log.get("to").asLong()).isEqualTo(first);
		assertThat(log.get("actor").asText()).isNotBlank();
	}

	@Test
	void rollbackToANamedVersion() {
		long first = sealedVersion("none", List.of(doc(unique("a"), "A", "Alpha content.")));
		long second = sealedVersion("none", List.of(doc(unique("b"), "B", "Beta content.")));
		long third = sealedVersion("none", List.of(doc(unique("c"), "C", "Gamma content.")));
		activate(first);
		activate(second);
		activate(third);
		JsonNode body = api().post("/brain/rollback", Map.of("to", first)).json();
		assertThat(body.get("from").asLong()).isEqualTo(third);
		assertThat(body.get("to").asLong()).isEqualTo(first);
		// /brain/health reads the pointer as last polled (every 200 ms here)
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(5))
			.untilAsserted(
					() -> assertThat(api().get("/brain/health").json().get("version").asLong()).isEqualTo(first));
	}

	@Test
	void rollbackWithNothingToRollBackToIsConflict() {
		emptyBrain();
		Api.Response none = api().post("/brain/rollback", null);
		assertThat(none.status()).isEqualTo(409);
		assertThat(none.header("Content-Type")).startsWith("application/problem+json");
		long only = sealedVersion("none", List.of(doc(unique("only"), "Only", "The only version.")));
		activate(only);
		Api.Response first = api().post("/brain/rollback", Map.of());
		assertThat(first.status()).isEqualTo(409);
		assertThat(first.json().get("detail").asText()).contains("no previously active version");
	}

	@Test
	void rollbackToAVersionThatIsStillBuildingIsConflict() {
		long first = sealedVersion("none", List.of(doc(unique("a"), "A", "Alpha content.")));
		activate(first);
		long building = createVersion("none");
		Api.Response response = api().post("/brain/rollback", Map.of("to", building));
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.json().get("detail").asText()).contains("BUILDING");
	}

	@Test
	void concurrentSwitchesSerializeAndTheLastCommittedWins() throws Exception {
		long a = sealedVersion("none", List.of(doc(unique("a"), "A", "Alpha content.")));
		long b = sealedVersion("none", List.of(doc(unique("b"), "B", "Beta content.")));
		activate(a);
		ExecutorService pool = Executors.newFixedThreadPool(6);
		List<Callable<Integer>> calls = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			long target = (i % 2 == 0) ? b : a;
			calls.add(() -> api().post("/brain/versions/" + target + "/activate", Map.of()).status());
		}
		List<Integer> statuses = new ArrayList<>();
		for (Future<Integer> result : pool.invokeAll(calls)) {
			statuses.add(result.get());
		}
		pool.shutdown();
		assertThat(statuses).containsOnly(200, 409).contains(200);

		List<long[]> chain = this.jdbc
			.sql("select coalesce(from_version, -1), to_version from activation_log order by id desc limit "
					+ statuses.stream().filter((s) -> s == 200).count())
			.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.list();
		for (int i = 0; i < chain.size() - 1; i++) {
			assertThat(chain.get(i)[0]).as("each switch starts where the previous one ended")
				.isEqualTo(chain.get(i + 1)[1]);
		}
		long pointer = this.jdbc.sql("select version from active_pointer").query(Long.class).single();
		assertThat(pointer).isEqualTo(chain.get(0)[1]);
		assertThat(this.jdbc.sql("select count(*) from brain_index where state = 'ACTIVE'").query(Long.class).single())
			.isEqualTo(1);
	}

}
