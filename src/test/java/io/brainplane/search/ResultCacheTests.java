package io.brainplane.search;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultCacheTests extends IntegrationTest {

	@Test
	void repeatedSearchIsServedFromTheCacheAndCountedAsAHit() {
		long version = sealedVersion("none", List.of(doc(unique("c"), "Cache", "Caching capybaras chew carrots.")));
		activate(version);
		assertThat(api().delete("/brain/cache").status()).isEqualTo(204);
		JsonNode empty = api().get("/brain/cache").json();
		assertThat(empty.get("size").asLong()).isZero();

		api().get("/brain/search?q=capybaras");
		api().get("/brain/search?q=capybaras");
		JsonNode stats = api().get("/brain/cache").json();
		assertThat(stats.get("size").asLong()).isEqualTo(1);
		assertThat(stats.get("hits").asLong()).isGreaterThanOrEqualTo(1);
		assertThat(stats.get("misses").asLong()).isGreaterThanOrEqualTo(1);
		assertThat(stats.get("hitRatio").asDouble()).isBetween(0.0, 1.0);
		assertThat(stats.has("evictions")).isTrue();

		assertThat(api().delete("/brain/cache").status()).isEqualTo(204);
		assertThat(api().get("/brain/cache").json().get("size").asLong()).isZero();
	}

	@Test
	void aSwitchNeverServesTheOtherVersionsCachedResults() {
		String key = unique("doc");
		long first = sealedVersion("none", List.of(doc(key, "First", "Walruses in the first edition.")));
		long second = sealedVersion("none", List.of(doc(key, "Second", "Walruses in the second edition.")));
		activate(first);
		JsonNode before = api().get("/brain/search?q=walruses").json();
		assertThat(before.get("results").get(0).get("title").asText()).isEqualTo("First");
		activate(second);
		JsonNode after = api().get("/brain/search?q=walruses").json();
		assertThat(after.get("version").asLong()).isEqualTo(second);
		assertThat(after.get("results").get(0).get("title").asText()).isEqualTo("Second");
		api().post("/brain/rollback", null);
		assertThat(api().get("/brain/search?q=walruses").json().get("results").get(0).get("title").asText())
			.isEqualTo("First");
	}

	@Test
	void healthReportsTheActiveVersionThisReplicaServes() {
		long version = sealedVersion("none",
				List.of(doc(unique("h"), "Health", "Healthy hedgehogs."), doc(unique("h"), "More", "More text.")));
		activate(version);
		// /brain/health reads the pointer as last polled (every 200 ms here)
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(5))
			.untilAsserted(
					() -> assertThat(api().get("/brain/health").json().get("version").asLong()).isEqualTo(version));
		JsonNode health = api().get("/brain/health").json();
		assertThat(health.get("status").asText()).isEqualTo("UP");
		assertThat(health.get("version").asLong()).isEqualTo(version);
		assertThat(health.get("label").asText()).startsWith("v-");
		assertThat(health.get("activatedAt").asText()).isNotBlank();
		assertThat(health.get("freshnessSeconds").asDouble()).isGreaterThanOrEqualTo(0);
		assertThat(health.get("documents").asInt()).isEqualTo(2);
		assertThat(health.get("chunks").asInt()).isEqualTo(2);
		assertThat(health.get("replica").get("servingVersion").asLong()).isEqualTo(version);
		assertThat(health.get("replica").get("lagSeconds").asDouble()).isZero();
		JsonNode checks = health.get("checks");
		assertThat(checks.fieldNames()).toIterable().contains("p95LatencyMs", "hitRate", "rollbackMs", "backup");
		assertThat(checks.get("rollbackMs").get("value").asDouble()).isPositive();
		assertThat(checks.get("rollbackMs").get("target").asInt()).isEqualTo(5000);
		assertThat(checks.get("rollbackMs").get("ok").asBoolean()).isTrue();
	}

}
