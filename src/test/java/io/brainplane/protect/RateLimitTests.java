package io.brainplane.protect;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import io.brainplane.support.Api;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static io.brainplane.protect.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RateLimitTests {

	/**
	 * The default limits for searches; three other calls a minute, to run out quickly.
	 */
	private static SecondReplica app;

	@BeforeAll
	static void start() throws Exception {
		app = SecondReplica.start(TestDatabase.createDatabase("brain_ratelimit"),
				Files.createTempDirectory("ratelimit"), "--brain.ratelimit.search-per-minute=100",
				"--brain.ratelimit.default-per-minute=3");
	}

	/**
	 * Two replicas on one database with the PostgreSQL store and five searches a minute;
	 * the second also trusts {@code X-Forwarded-For}, which changes nothing for callers
	 * with a key. Started on first use, for the two tests that need them (one replica
	 * start fewer than a replica of its own for the trusted proxy).
	 */
	private static SecondReplica[] postgresStore;

	@AfterAll
	static void stop() {
		app.close();
		if (postgresStore != null) {
			postgresStore[0].close();
			postgresStore[1].close();
		}
	}

	private static synchronized SecondReplica[] postgresStore() throws Exception {
		if (postgresStore == null) {
			TestDatabase.Coordinates database = TestDatabase.createDatabase("brain_shared_limit");
			String[] limits = { "--brain.ratelimit.store=postgres", "--brain.ratelimit.search-per-minute=5" };
			SecondReplica first = SecondReplica.start(database, Files.createTempDirectory("shared-a"), limits);
			try {
				SecondReplica second = SecondReplica.start(database, Files.createTempDirectory("shared-b"),
						"--brain.ratelimit.store=postgres", "--brain.ratelimit.search-per-minute=5",
						"--brain.ratelimit.trust-forwarded-for=true");
				postgresStore = new SecondReplica[] { first, second };
			}
			catch (RuntimeException ex) {
				first.close();
				throw ex;
			}
		}
		return postgresStore;
	}

	@Test
	void theHundredAndFirstSearchInAMinuteFromOneKeyIsRefusedWhileAnotherKeyIsNot() {
		Api reader = app.api(TestKeys.READER);
		for (int i = 1; i <= 100; i++) {
			Api.Response response = reader.get("/brain/search?q=anything");
			// No version is active in this database: 503, but counted all the same.
			assertThat(response.status()).as(response.toString()).isEqualTo(503);
			assertThat(response.header("X-RateLimit-Limit")).isEqualTo("100");
			assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(100 - i));
		}
		Api.Response refused = reader.get("/brain/search?q=anything");
		assertProblem(refused, 429, "rate-limited", "100");
		assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
		assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
		assertThat(app.management().get("/actuator/prometheus").raw())
			.containsPattern("brain_ratelimit_refusals_total\\{[^}]*route=\"search\"[^}]*\\} [1-9]");
		// Another key, and another route class of the same key, are unaffected.
		Api.Response other = app.api(TestKeys.HASHED_READER).get("/brain/search?q=anything");
		assertThat(other.status()).isEqualTo(503);
		assertThat(other.header("X-RateLimit-Remaining")).isEqualTo("99");
		Api.Response versions = reader.get("/brain/versions");
		assertThat(versions.status()).isEqualTo(200);
		assertThat(versions.header("X-RateLimit-Limit")).isEqualTo("3");
	}

	@Test
	void anEncodedPathOrHeadIsLimitedAsTheSearchItIs() {
		Api operator = app.api(TestKeys.OPERATOR);
		Api.Response plain = operator.get("/brain/search?q=x");
		assertThat(plain.header("X-RateLimit-Limit")).isEqualTo("100");
		long remaining = Long.parseLong(plain.header("X-RateLimit-Remaining"));
		for (String path : new String[] { "/brain/%73earch?q=x", "/%62rain/search?q=x", "/brain/sea%72ch?q=x" }) {
			Api.Response encoded = operator.get(path);
			assertThat(encoded.status()).as(path + ": " + encoded).isEqualTo(503);
			assertThat(encoded.header("X-RateLimit-Limit")).as(path).isEqualTo("100");
			assertThat(Long.parseLong(encoded.header("X-RateLimit-Remaining"))).as(path + " shares the search bucket")
				.isEqualTo(--remaining);
		}
		Api.Response head = operator.send("HEAD", "/brain/search?q=x", null, null);
		assertThat(head.header("X-RateLimit-Limit")).isEqualTo("100");
		assertThat(Long.parseLong(head.header("X-RateLimit-Remaining"))).isEqualTo(--remaining);
		Api.Response feedback = operator.post("/brain/%66eedback", java.util.Map.of());
		assertThat(feedback.header("X-RateLimit-Limit")).isEqualTo("100");
		assertThat(operator.send("HEAD", "/brain/versions", null, null).header("X-RateLimit-Limit")).isEqualTo("3");
	}

	@Test
	void publicHealthIsLimitedPerAddressWhileTheProbesAreNot() {
		// Nothing is ever activated in this database: the public health is DOWN (503),
		// counted all the same, and the replica is ready (an empty brain is no reason to
		// restart) once its first look at the database is done.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> app.management().get("/actuator/health/readiness").status() == 200);
		for (int i = 0; i < 3; i++) {
			Api.Response health = app.anonymousApi().get("/brain/health");
			assertThat(health.status()).as(health.toString()).isEqualTo(503);
			assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
			assertThat(health.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(2 - i));
		}
		assertProblem(app.anonymousApi().get("/brain/h%65alth"), 429, "rate-limited", "health");
		for (int i = 0; i < 10; i++) {
			assertThat(app.management().get("/actuator/health/liveness").status()).isEqualTo(200);
			assertThat(app.management().get("/actuator/health/readiness").status()).isEqualTo(200);
		}
	}

	@Test
	void aForgedForwardedForIsIgnoredByDefault() {
		for (int i = 0; i < 3; i++) {
			Api.Response response = app.anonymousApi()
				.withHeaders(Map.of("X-Forwarded-For", "10.0.0." + i))
				.get("/brain/versions");
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(2 - i));
		}
		assertProblem(app.anonymousApi().withHeaders(Map.of("X-Forwarded-For", "10.9.9.9")).get("/brain/versions"), 429,
				"rate-limited", "3");
	}

	@Test
	void aForwardedForIsTheClientWhenTrusted() throws Exception {
		SecondReplica behindProxy = postgresStore()[1];
		// Each client (the first entry, the proxy appended itself) has its own five
		// searches a minute: fifteen requests through one proxy, none refused.
		for (int client = 0; client < 3; client++) {
			for (int i = 0; i < 5; i++) {
				Api.Response response = behindProxy.anonymousApi()
					.withHeaders(Map.of("X-Forwarded-For", "10.0.0." + client + ", 127.0.0.1"))
					.get("/brain/search?q=x");
				assertThat(response.status()).as(response.toString()).isEqualTo(401);
				assertThat(response.header("X-RateLimit-Remaining")).as("client %d, request %d", client, i)
					.isEqualTo(Integer.toString(4 - i));
			}
		}
		assertProblem(
				behindProxy.anonymousApi().withHeaders(Map.of("X-Forwarded-For", "10.0.0.1")).get("/brain/search?q=x"),
				429, "rate-limited", "5");
	}

	@Test
	void withThePostgresStoreTwoReplicasShareOneLimit() throws Exception {
		SecondReplica first = postgresStore()[0];
		SecondReplica second = postgresStore()[1];
		for (int i = 0; i < 5; i++) {
			SecondReplica replica = (i % 2 == 0) ? first : second;
			Api.Response response = replica.api(TestKeys.READER).get("/brain/search?q=x");
			assertThat(response.status()).as(response.toString()).isEqualTo(503);
			assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(4 - i));
		}
		assertProblem(first.api(TestKeys.READER).get("/brain/search?q=x"), 429, "rate-limited", "5");
		assertProblem(second.api(TestKeys.READER).get("/brain/search?q=x"), 429, "rate-limited", "5");
		assertThat(second.api(TestKeys.OPERATOR).get("/brain/search?q=x").status()).isEqualTo(503);
		// When the shared store fails, requests pass unlimited rather than fail.
		JdbcClient jdbc = first.bean(JdbcClient.class);
		jdbc.sql("alter table brain_rate_limit rename to brain_rate_limit_gone").update();
		try {
			Api.Response unlimited = first.api(TestKeys.READER).get("/brain/search?q=x");
			assertThat(unlimited.status()).isEqualTo(503);
			assertThat(unlimited.header("X-RateLimit-Limit")).isNull();
		}
		finally {
			// back for the other test on these replicas, whatever the order
			jdbc.sql("alter table brain_rate_limit_gone rename to brain_rate_limit").update();
		}
	}

	@Test
	void withLimitsDisabledNothingIsCounted() throws Exception {
		try (SecondReplica app = SecondReplica.start(TestDatabase.createDatabase("brain_unlimited"),
				Files.createTempDirectory("unlimited"), "--brain.ratelimit.enabled=false",
				"--brain.ratelimit.search-per-minute=1")) {
			for (int i = 0; i < 3; i++) {
				Api.Response response = app.api(TestKeys.READER).get("/brain/search?q=x");
				assertThat(response.status()).isEqualTo(503);
				assertThat(response.header("X-RateLimit-Limit")).isNull();
			}
		}
	}

}
