package io.brainplane.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the end-to-end tests: the whole application on a random port, over real HTTP,
 * on the shared test PostgreSQL. Every subclass shares one application context; tests
 * isolate their data by unique keys and labels, or start from {@link #emptyBrain()}.
 * {@link #api()} sends the operator key of {@link TestKeys}; {@link #readerApi()} and
 * {@link #anonymousApi()} the reader key and none. It embeds with the tests' model
 * ({@link TestModel}: the faster one, not the shipped default), loaded once per test JVM
 * and shared with the replicas tests start ({@link SharedModels}), and answers the
 * Cranfield texts from their recorded vectors ({@link RecordedEmbeddings}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "brain.index.poll-interval=200ms", TestModel.CONTEXT_PROPERTY,
				TestKeys.KEYS_0_NAME, TestKeys.KEYS_0_ROLE, TestKeys.KEYS_0_KEY, TestKeys.KEYS_1_NAME,
				TestKeys.KEYS_1_ROLE, TestKeys.KEYS_1_KEY, TestKeys.KEYS_2_NAME, TestKeys.KEYS_2_ROLE,
				TestKeys.KEYS_2_SHA256, "brain.webhook.secret=" + TestKeys.WEBHOOK_SECRET,
				// High limits, so the suite never trips them; rate-limit tests start
				// their own contexts.
				"brain.ratelimit.search-per-minute=100000", "brain.ratelimit.webhook-per-minute=100000",
				"brain.ratelimit.default-per-minute=100000" })
@Import({ TestClockConfiguration.class, RecordedEmbeddingsConfiguration.class })
// @SpringBootTest turns metrics export off by default: /actuator/prometheus is part of
// what
// the tests check (the per-route HTTP histogram), so it is on, as in production.
@AutoConfigureObservability(tracing = false)
public abstract class IntegrationTest {

	/**
	 * The shared context's data directory: one per test JVM (surefire runs two, each with
	 * its own database, see {@code brain.test.data-dir} in the pom), so they never share
	 * local indexes or backups.
	 */
	protected static final Path DATA_DIR = Path.of(System.getProperty("brain.test.data-dir", "target/test-data/main"));

	/** The application's clock: advance it instead of waiting out real intervals. */
	@Autowired
	protected MutableClock clock;

	@AfterEach
	void realTimeAgain() {
		this.clock.reset();
	}

	@LocalServerPort
	protected int port;

	@Autowired
	protected JdbcClient jdbc;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("brain.data-dir", DATA_DIR::toString);
	}

	/** A client with the operator key: may do everything. */
	protected Api api() {
		return anonymousApi().withHeaders(TestKeys.bearer(TestKeys.OPERATOR));
	}

	/** A client with the reader key: search, feedback and reads. */
	protected Api readerApi() {
		return anonymousApi().withHeaders(TestKeys.bearer(TestKeys.READER));
	}

	/** A client without a key. */
	protected Api anonymousApi() {
		return new Api("http://localhost:" + this.port);
	}

	protected static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Removes every version, document and activation: for tests about an empty brain. */
	protected void emptyBrain() {
		this.jdbc.sql(
				"truncate active_pointer, activation_log, ingest_job, version_change, version_member, chunk, document_revision, brain_index")
			.update();
		this.jdbc.sql("insert into active_pointer (id, version, switched_at) values (1, null, null)").update();
	}

	/** Creates a version (on the given base), adds the documents and seals it. */
	protected long sealedVersion(String base, List<Map<String, Object>> documents) {
		long version = createVersion(base);
		assertThat(api().put("/brain/versions/" + version + "/documents", Map.of("documents", documents)).status())
			.isEqualTo(200);
		Api.Response sealed = api().post("/brain/versions/" + version + "/seal", null);
		assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
		return version;
	}

	/**
	 * Seals and activates a small version about otters and seals, whose searches for
	 * "otters" are hits: for tests about what searches record.
	 */
	protected long otterVersion() {
		long version = sealedVersion("none",
				List.of(doc(unique("otters"), "Otters", "Otters hold hands while sleeping in the river."),
						doc(unique("seals"), "Seals", "Seals sleep floating in the water.")));
		activate(version);
		return version;
	}

	/**
	 * Waits until the version's ingestion jobs are done (chunked and embedded), which can
	 * take longer than a seal waits for a large load.
	 */
	protected JsonNode awaitIngested(long version, Duration atMost) {
		org.awaitility.Awaitility.await()
			.atMost(atMost)
			.until(() -> !api().get("/brain/versions/" + version)
				.json()
				.at("/progress/state")
				.asText()
				.matches("QUEUED|RUNNING"));
		return api().get("/brain/versions/" + version).json();
	}

	protected long createVersion(String base) {
		Map<String, Object> body = (base != null) ? Map.of("label", unique("v"), "base", base)
				: Map.of("label", unique("v"));
		Api.Response created = api().post("/brain/versions", body);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("version").asLong();
	}

	protected JsonNode activate(long version) {
		Api.Response response = api().post("/brain/versions/" + version + "/activate", Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	/**
	 * {@code count} documents keyed {@code <prefix>-<i>}, with a title and a content in
	 * which {@code %d} stands for {@code i}.
	 */
	protected static List<Map<String, Object>> numberedDocs(String prefix, int count, String title, String content) {
		List<Map<String, Object>> documents = new java.util.ArrayList<>();
		for (int i = 0; i < count; i++) {
			documents.add(doc(prefix + "-" + i, title.formatted(i), content.formatted(i)));
		}
		return documents;
	}

	protected static Map<String, Object> doc(String key, String title, String content) {
		return Map.of("key", key, "title", title, "content", content);
	}

}
