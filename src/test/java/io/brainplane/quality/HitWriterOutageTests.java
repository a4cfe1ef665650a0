package io.brainplane.quality;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.Hits;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hit writer against a database that goes away and comes back: a replica on a
 * database of its own, which the server then closes (every session of it terminated, as
 * at a server shutdown, and new connections refused: {@code allow_connections false}) and
 * opens again, without an initdb and two starts of a PostgreSQL of its own. Searches
 * (which touch no database) and {@code /brain/health} (which answers from memory) keep
 * answering meanwhile; what the queue held is written once the database is back.
 */
class HitWriterOutageTests extends IntegrationTest {

	private static final int SEARCHES_DURING_OUTAGE = 30;

	private static final int QUEUE_CAPACITY = 10;

	private static final String DATABASE = "hit_writer_outage";

	@TempDir
	Path temp;

	@Test
	void searchesNeverFailWhileTheDatabaseIsAwayAndQueuedRecordsAreWrittenWhenItReturns() throws Exception {
		TestDatabase.Coordinates coordinates = TestDatabase.createDatabase(DATABASE);
		try {
			JdbcClient database = JdbcClient
				.create(new DriverManagerDataSource(coordinates.url(), coordinates.username(), coordinates.password()));
			try (SecondReplica replica = SecondReplica.start(coordinates, this.temp.resolve("data"),
					"--spring.datasource.hikari.connection-timeout=1000",
					"--brain.hits.queue-capacity=" + QUEUE_CAPACITY, "--brain.quality.refresh-interval=500ms",
					"--brain.health.refresh-interval=500ms")) {
				Api api = replica.api();
				activateOneVersion(api);
				String before = search(api);
				await().atMost(Duration.ofSeconds(10)).until(() -> recorded(database, List.of(before)) == 1);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> health(api).at("/checks/hitRate/requests").asLong() == 1);

				closeDatabase();
				List<String> during = new ArrayList<>();
				for (int i = 0; i < SEARCHES_DURING_OUTAGE; i++) {
					during.add(search(api));
				}
				CircuitBreaker breaker = replica.bean(CircuitBreakerRegistry.class).circuitBreaker("hitWriter");
				await().atMost(Duration.ofSeconds(30)).until(() -> breaker.getState() == CircuitBreaker.State.OPEN);
				assertThat(search(api)).as("search still answers with the breaker open").isNotBlank();
				// Health answers from memory: the replica noticed the outage, and the
				// checks
				// are the last ones computed before it (a query now could not answer).
				await().atMost(Duration.ofSeconds(30)).until(() -> !health(api).get("databaseReachable").asBoolean());
				Api.Response duringOutage = api.get("/brain/health");
				assertThat(duringOutage.status()).as(duringOutage.toString()).isEqualTo(200);
				assertThat(duringOutage.json().get("status").asText()).isEqualTo("DEGRADED");
				assertThat(duringOutage.json().at("/checks/hitRate/requests").asLong()).isEqualTo(1);
				assertThat(duringOutage.json().at("/checks/hitRate/value").asDouble()).isEqualTo(1.0);
				assertThat(duringOutage.json().get("checkedAt").isNull()).isFalse();
				double dropped = replica.bean(MeterRegistry.class)
					.get("brain.hits.dropped")
					.tag("reason", "queue-full")
					.counter()
					.count();
				assertThat(dropped).as("only what did not fit in the queue is dropped")
					.isPositive()
					.isLessThanOrEqualTo(SEARCHES_DURING_OUTAGE + 1 - QUEUE_CAPACITY);

				openDatabase();
				long kept = SEARCHES_DURING_OUTAGE + 1 - (long) dropped;
				await().atMost(Duration.ofSeconds(60)).until(() -> recordedSince(database, before) == kept);
				assertThat(recorded(database, during)).isBetween(kept - 1, kept);
				String after = search(api);
				await().atMost(Duration.ofSeconds(10)).until(() -> recorded(database, List.of(after)) == 1);
				// The figures catch up with everything written after the outage.
				await().atMost(Duration.ofSeconds(30)).until(() -> {
					JsonNode health = health(api);
					return health.get("databaseReachable").asBoolean() && health.at("/checks/hitRate/requests")
						.asLong() == database.sql("select count(*) from rag_hits").query(Long.class).single();
				});
			}
		}
		finally {
			openDatabase();
		}
	}

	/**
	 * The database goes away for its clients: no new connection, every open one
	 * terminated ("terminating connection due to administrator command", what a server
	 * shutdown sends them).
	 */
	private void closeDatabase() {
		this.jdbc.sql("alter database " + DATABASE + " allow_connections false").update();
		List<Boolean> terminated = this.jdbc
			.sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = ?")
			.param(DATABASE)
			.query(Boolean.class)
			.list();
		assertThat(terminated).as("the replica's sessions").isNotEmpty().allMatch(Boolean.TRUE::equals);
	}

	private void openDatabase() {
		this.jdbc.sql("alter database " + DATABASE + " allow_connections true").update();
	}

	private void activateOneVersion(Api api) {
		long version = api.post("/brain/versions", Map.of("base", "none")).json().get("version").asLong();
		api.put("/brain/versions/" + version + "/documents",
				Map.of("documents", List.of(doc("otters", "Otters", "Otters hold hands while sleeping."))));
		assertThat(api.post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
		assertThat(api.post("/brain/versions/" + version + "/activate", Map.of()).status()).isEqualTo(200);
	}

	private static JsonNode health(Api api) {
		Api.Response response = api.get("/brain/health");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private static String search(Api api) {
		Api.Response response = api.get("/brain/search?q=otters");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("queryId").asText();
	}

	private static long recorded(JdbcClient database, List<String> queryIds) {
		return Hits.recorded(database, queryIds);
	}

	private static long recordedSince(JdbcClient database, String first) {
		try {
			return database
				.sql("select count(*) from rag_hits where at > (select at from rag_hits where query_id = ?::uuid)")
				.param(first)
				.query(Long.class)
				.single();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

}
