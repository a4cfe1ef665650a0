package io.brainplane.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReplicaTests extends IntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	private io.brainplane.platform.PlatformProperties indexes;

	@Test
	void replicaStartedOnAnExistingDatabaseServesTheActiveVersionAndFollowsSwitchesWithinTwoSeconds() throws Exception {
		long first = sealedVersion("none", List.of(doc(unique("a"), "Otters", "Otters hold hands while sleeping.")));
		activate(first);
		try (SecondReplica other = SecondReplica.start(TestDatabase.get(), Files.createTempDirectory("replica"))) {
			// Ready only once the active version is open locally.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> other.management().get("/actuator/health/readiness").status() == 200);
			Api.Response search = other.api().get("/brain/search?q=otters");
			assertThat(search.header("X-Brain-Version")).as(search.toString()).isEqualTo(Long.toString(first));
			assertThat(search.json().get("results")).isNotEmpty();

			long second = sealedVersion("none", List.of(doc(unique("b"), "Seals", "Seals sleep in the water.")));
			// The other replica builds the sealed version in the background before anyone
			// activates it, so the switch is a swap there too.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> Files.list(otherIndexDir(other))
					.anyMatch((p) -> p.getFileName().toString().startsWith("v" + second + "-")));

			activate(second);
			await().atMost(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> Long.toString(second)
					.equals(other.api().get("/brain/search?q=seals").header("X-Brain-Version")));
			assertThat(other.api().get("/brain/health").json().get("replica").get("servingVersion").asLong())
				.isEqualTo(second);

			api().post("/brain/rollback", null);
			await().atMost(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> Long.toString(first)
					.equals(other.api().get("/brain/search?q=otters").header("X-Brain-Version")));
		}
	}

	@Test
	void replicaOnAnEmptyDatabaseIsReadyButSearchIsUnavailable() throws Exception {
		TestDatabase.Coordinates empty = TestDatabase.createDatabase("brain_empty");
		try (SecondReplica other = SecondReplica.start(empty, Files.createTempDirectory("empty"))) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> other.management().get("/actuator/health/readiness").status() == 200);
			Api.Response search = other.api().get("/brain/search?q=anything");
			assertThat(search.status()).isEqualTo(503);
			assertThat(search.header("Content-Type")).startsWith("application/problem+json");
			assertThat(search.json().get("type").asText()).endsWith("/no-active-version");
			Api.Response health = other.api().get("/brain/health");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
			assertThat(other.management().get("/actuator/health/liveness").status()).isEqualTo(200);
		}
	}

	@Test
	void activeVersionAndThreePreviousStayOpenWhileOlderLocalIndexesAreDeleted() {
		List<Long> versions = new java.util.ArrayList<>();
		for (int i = 0; i < 5; i++) {
			long version = sealedVersion("none", List.of(doc(unique("k"), "Keep", "Version number " + i)));
			activate(version);
			versions.add(version);
		}
		Path indexDir = this.indexes.indexDir();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<String> names = Files.list(indexDir).map((p) -> p.getFileName().toString()).toList();
			assertThat(names).noneMatch((name) -> name.startsWith("v" + versions.get(0) + "-"));
			for (long kept : versions.subList(1, 5)) {
				assertThat(names).anyMatch((name) -> name.startsWith("v" + kept + "-"));
			}
		});
		// A rollback to a version that is still open needs no rebuild and serves at once.
		Api.Response rollback = api().post("/brain/rollback", java.util.Map.of("to", versions.get(1)));
		assertThat(rollback.status()).isEqualTo(200);
		assertThat(api().get("/brain/search?q=version").header("X-Brain-Version"))
			.isEqualTo(Long.toString(versions.get(1)));
	}

	private static Path otherIndexDir(SecondReplica other) {
		return other.bean(io.brainplane.platform.PlatformProperties.class).indexDir();
	}

}
