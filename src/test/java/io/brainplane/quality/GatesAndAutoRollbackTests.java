package io.brainplane.quality;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The evaluation gate and automatic rollback, on a replica configured for them with its
 * own database.
 */
class GatesAndAutoRollbackTests extends IntegrationTest {

	private static SecondReplica replica;

	private static JdbcClient database;

	@BeforeAll
	static void start() throws Exception {
		TestDatabase.Coordinates coordinates = TestDatabase.createDatabase("brain_quality_gates");
		replica = SecondReplica.start(coordinates, Files.createTempDirectory("gates"),
				"--brain.quality.min-eval-hit-rate=0.8", "--brain.quality.auto-rollback.enabled=true",
				"--brain.quality.auto-rollback.min-queries=5", "--brain.quality.auto-rollback.check-interval=200ms");
		database = JdbcClient
			.create(new DriverManagerDataSource(coordinates.url(), coordinates.username(), coordinates.password()));
	}

	@AfterAll
	static void stop() {
		if (replica != null) {
			replica.close();
		}
	}

	@Test
	void evaluationScoresAnUnservedVersionAndIsStoredOnIt() {
		Api api = replica.api();
		long version = version(api, doc("otters-eval", "Otters", "Otters hold hands while sleeping in the river."),
				doc("seals-eval", "Seals", "Seals sleep floating in the water."),
				doc("puffins-eval", "Puffins", "Puffins dive for small fish."));
		putGoldenSet(api, "golden", "eval");
		Api.Response evaluated = api.post("/brain/versions/" + version + "/evaluate?set=golden", null);
		assertThat(evaluated.status()).as(evaluated.toString()).isEqualTo(200);
		JsonNode body = evaluated.json();
		assertThat(body.get("set").asText()).isEqualTo("golden");
		assertThat(body.get("version").asLong()).isEqualTo(version);
		assertThat(body.get("k").asInt()).isEqualTo(3);
		assertThat(body.get("queries").asInt()).isEqualTo(3);
		// two of three answered at rank 1, one not at all; one of its two relevant found
		assertThat(body.get("hitRate").asDouble()).isEqualTo(2.0 / 3);
		assertThat(body.get("mrr").asDouble()).isEqualTo(2.0 / 3);
		assertThat(body.get("recall").asDouble()).isEqualTo((1 + 0.5 + 0) / 3);
		JsonNode stored = api.get("/brain/versions/" + version).json().get("evaluation");
		assertThat(stored.get("hitRate").asDouble()).isEqualTo(2.0 / 3);
		assertThat(stored.get("set").asText()).isEqualTo("golden");

		assertThat(api.post("/brain/versions/" + version + "/evaluate?set=missing", null).status()).isEqualTo(404);
		assertThat(api.post("/brain/versions/" + version + "/evaluate", null).status()).isEqualTo(400);
		assertThat(api.put("/brain/eval-sets/golden", Map.of("queries", List.of())).status()).isEqualTo(400);
	}

	@Test
	void evalGateRefusesAVersionBelowTheMinimumAndForceOverridesIt() {
		Api api = replica.api();
		long weak = version(api, doc("otters-gate", "Otters", "Otters hold hands while sleeping in the river."));
		putGoldenSet(api, "gate", "gate");
		assertThat(api.post("/brain/versions/" + weak + "/evaluate?set=gate", null).json().get("hitRate").asDouble())
			.isEqualTo(1.0 / 3);
		Api.Response refused = api.post("/brain/versions/" + weak + "/activate", Map.of());
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("detail").asText()).contains("0.333").contains("0.800").contains("gate");
		Api.Response forced = api.post("/brain/versions/" + weak + "/activate", Map.of("force", true));
		assertThat(forced.status()).as(forced.toString()).isEqualTo(200);

		long good = version(api, doc("otters-gate", "Otters", "Otters hold hands while sleeping in the river."),
				doc("seals-gate", "Seals", "Seals sleep floating in the water."),
				doc("puffins-gate", "Puffins", "Puffins dive for small fish."),
				doc("gulls-gate", "Gulls", "Gulls steal chips."));
		putGoldenSet(api, "gate", "gate");
		assertThat(api.post("/brain/versions/" + good + "/evaluate?set=gate", null).json().get("hitRate").asDouble())
			.isEqualTo(1.0);
		assertThat(api.post("/brain/versions/" + good + "/activate", Map.of()).status()).isEqualTo(200);

		long neverEvaluated = version(api, doc("n-gate", "N", "Never evaluated."));
		assertThat(api.post("/brain/versions/" + neverEvaluated + "/activate", Map.of()).status())
			.as("require-eval is false")
			.isEqualTo(200);
	}

	@Test
	void degradedVersionIsRolledBackAutomaticallyWhileAGoodOneIsLeftAlone() {
		Api api = replica.api();
		long first = version(api, doc("otters-ar", "Otters", "Otters hold hands while sleeping in the river."));
		forceActivate(api, first);
		searches(api, first, "otters");

		long good = version(api, doc("otters-ar", "Otters", "Otters hold hands while sleeping in the river."),
				doc("seals-ar", "Seals", "Seals sleep floating in the water."));
		long goodActivation = forceActivate(api, good);
		searches(api, good, "otters");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> database.sql("select count(*) from auto_rollback_decision where activation_id = ?")
				.param(goodActivation)
				.query(Long.class)
				.single() == 1);
		assertThat(database.sql("select rolled_back from auto_rollback_decision where activation_id = ?")
			.param(goodActivation)
			.query(Boolean.class)
			.single()).isFalse();
		assertThat(activeVersion()).isEqualTo(good);

		long degraded = version(api, doc("penguins-ar", "Penguins", "Penguins huddle in the Antarctic winter."));
		long degradedActivation = forceActivate(api, degraded);
		searches(api, degraded, "otters");
		await().atMost(Duration.ofSeconds(20)).until(() -> activeVersion() == good);
		JsonNode log = api.get("/brain/activations?limit=1").json().get("activations").get(0);
		assertThat(log.get("kind").asText()).isEqualTo("auto_rollback");
		assertThat(log.get("actor").asText()).isEqualTo("auto-rollback");
		assertThat(log.get("from").asLong()).isEqualTo(degraded);
		assertThat(log.get("to").asLong()).isEqualTo(good);
		assertThat(log.get("reason").asText()).contains("version " + degraded + " over 5 searches: hit rate 0.000")
			.contains("version " + good + " before it over 5 searches: hit rate 1.000");
		assertThat(database.sql("select count(*) from auto_rollback_decision where activation_id = ? and rolled_back")
			.param(degradedActivation)
			.query(Long.class)
			.single()).isEqualTo(1);
		// Exactly once: the rollback itself is not watched, nothing else happens.
		assertThat(database.sql("select count(*) from activation_log where kind = 'auto_rollback'")
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(api.get("/brain/search?q=otters").header("X-Brain-Version")).isEqualTo(Long.toString(good));
	}

	private static long activeVersion() {
		return database.sql("select version from active_pointer").query(Long.class).single();
	}

	private static long forceActivate(Api api, long version) {
		Api.Response response = api.post("/brain/versions/" + version + "/activate", Map.of("force", true));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return database.sql("select max(id) from activation_log").query(Long.class).single();
	}

	/** Five searches answered by the version, awaited until recorded. */
	private static void searches(Api api, long version, String q) {
		for (int i = 0; i < 5; i++) {
			Api.Response response = api.get("/brain/search?q=" + q);
			assertThat(response.header("X-Brain-Version")).isEqualTo(Long.toString(version));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> database.sql("select count(*) from rag_hits where version = ?")
				.param(version)
				.query(Long.class)
				.single() >= 5);
	}

	private static void putGoldenSet(Api api, String name, String suffix) {
		Api.Response response = api.put("/brain/eval-sets/" + name, Map.of("k", 3, "queries",
				List.of(Map.of("q", "otters sleeping", "relevant", List.of("otters-" + suffix)),
						Map.of("q", "seals floating water", "relevant", List.of("seals-" + suffix, "walrus-" + suffix)),
						Map.of("q", "gulls chips", "relevant", List.of("gulls-" + suffix)))));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	@SafeVarargs
	private static long version(Api api, Map<String, Object>... documents) {
		Api.Response created = api.post("/brain/versions", Map.of("label", unique("q"), "base", "none"));
		long version = created.json().get("version").asLong();
		assertThat(
				api.put("/brain/versions/" + version + "/documents", Map.of("documents", List.of(documents))).status())
			.isEqualTo(200);
		assertThat(api.post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
		return version;
	}

}
