package io.brainplane.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.BrainplaneApplication;
import io.brainplane.index.VersionRef;
import io.brainplane.support.Api;
import io.brainplane.support.ChildJvm;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.TestKeys;
import io.brainplane.support.Webhooks;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 in the middle of the work that changes the brain. One child JVM (a replica on
 * the shared test database, started from the test classpath) is stopped at four named
 * points at once ({@code brain.test.pause-at}): an ingestion job between two batches, a
 * webhook delivery after its version was created and filled, a seal inside its
 * transaction, an activation inside its transaction. It is then killed with SIGKILL, and
 * the test's own replica (the shared context, on the same database) and a replica
 * restarted on the killed one's data directory must find nothing lost and finish or
 * cleanly redo every piece of work. One JVM start covers every scenario, to keep the
 * suite short on two cores.
 */
class KillTests extends IntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Duration LEASE = Duration.ofSeconds(2);

	private static final List<String> POINTS = List.of("ingest.after-batch", "webhook.before-seal",
			"seal.before-commit", "activation.before-commit");

	@Autowired
	private ApplicationContext context;

	@Test
	void killedMidIngestionSealActivationAndDeliveryLosesNothingAndTheWorkIsFinishedOrRedone() throws Exception {
		// Prepared before the child starts, by this replica: a version to seal, a version
		// to
		// activate over the active one.
		long active = sealedVersion("none", List.of(doc(unique("d"), "Base", "The version serving now.")));
		activate(active);
		String toActivateKey = unique("act");
		long toActivate = sealedVersion("none", List.of(doc(toActivateKey, "Next", "Activated after the crash.")));
		long toSeal = createVersion("none");
		List<Map<String, Object>> sealDocs = List.of(doc(unique("s1"), "One", "Sealed after the crash."),
				doc(unique("s2"), "Two", "Also sealed after the crash."));
		assertThat(api().put("/brain/versions/" + toSeal + "/documents", Map.of("documents", sealDocs)).status())
			.isEqualTo(200);
		awaitIngested(toSeal, Duration.ofSeconds(60));
		long toIngest = createVersion("none");
		long activationsBefore = count("activation_log");

		// This replica's workers stand aside, so the child's worker takes the job.
		SmartLifecycle workers = ingestWorkers();
		workers.stop();
		try {
			killAndRecover(workers, active, toActivate, toActivateKey, toSeal, toIngest, activationsBefore);
		}
		finally {
			if (!workers.isRunning()) {
				workers.start();
			}
		}
	}

	private void killAndRecover(SmartLifecycle workers, long active, long toActivate, String toActivateKey, long toSeal,
			long toIngest, long activationsBefore) throws Exception {
		Path dataDir = Files.createTempDirectory("killed-replica");
		Path pauses = Files.createTempDirectory("pause-points");
		String delivery = unique("delivery");
		long deliveryVersion;
		int port = freePort();
		try (ChildJvm child = startChild(dataDir, pauses, port)) {
			child.awaitOutput("Started BrainplaneApplication", Duration.ofMinutes(4));
			Api childApi = new Api("http://localhost:" + port).withHeaders(TestKeys.bearer(TestKeys.OPERATOR));
			List<CompletableFuture<?>> calls = new ArrayList<>();

			// 1. ingestion: the child's only worker stops between two batches of the job
			List<Map<String, Object>> ingestDocs = new ArrayList<>();
			for (int i = 0; i < 45; i++) {
				ingestDocs.add(doc(unique("i" + i), "Doc " + i, "Document number " + i + " about lease renewal."));
			}
			assertThat(childApi.put("/brain/versions/" + toIngest + "/documents", Map.of("documents", ingestDocs))
				.status()).isEqualTo(200);
			awaitReached(pauses, "ingest.after-batch");

			// 2. a webhook delivery, stopped after creating and filling its version
			String body = JSON.writeValueAsString(Map.of("documents",
					List.of(doc(unique("w"), "Delivered", "Delivered through the webhook.")), "activate", false));
			calls.add(CompletableFuture
				.runAsync(() -> Webhooks.deliver(new Api("http://localhost:" + port), delivery, body)));
			awaitReached(pauses, "webhook.before-seal");
			deliveryVersion = this.jdbc.sql("select version from webhook_delivery where id = ?")
				.param(delivery)
				.query(Long.class)
				.single();

			// 3. a seal, stopped inside its transaction (the version marked READY, not
			// committed)
			calls.add(CompletableFuture.runAsync(() -> childApi.post("/brain/versions/" + toSeal + "/seal", null)));
			awaitReached(pauses, "seal.before-commit");

			// 4. an activation, stopped inside its transaction (the pointer moved, not
			// committed)
			calls.add(CompletableFuture
				.runAsync(() -> childApi.post("/brain/versions/" + toActivate + "/activate", Map.of())));
			awaitReached(pauses, "activation.before-commit");

			// The job's lease is renewed while its worker is stuck in a batch: this
			// replica's workers, back at work, cannot take it.
			workers.start();
			Map<String, Object> running = job(toIngest);
			assertThat(running.get("state")).isEqualTo("RUNNING");
			await().during(LEASE.multipliedBy(2))
				.atMost(LEASE.multipliedBy(4))
				.until(() -> job(toIngest).get("owner").equals(running.get("owner"))
						&& job(toIngest).get("state").equals("RUNNING"));
			assertThat((String) running.get("owner")).endsWith("/worker-1");

			child.kill();
			calls.forEach((call) -> call.exceptionally((ex) -> null).join());
		}

		// Uncommitted work is gone, committed work is whole.
		assertThat(api().get("/brain/versions/" + toSeal).json().get("state").asText()).isEqualTo("BUILDING");
		assertThat(api().get("/brain/versions/" + toActivate).json().get("state").asText()).isEqualTo("READY");
		assertThat(api().get("/brain/health").json().get("version").asLong()).isEqualTo(active);
		assertThat(count("activation_log")).isEqualTo(activationsBefore);

		// The ingestion job is taken over once its lease runs out, with one more attempt,
		// and every document is there.
		JsonNode ingested = awaitIngested(toIngest, Duration.ofSeconds(90));
		assertThat(ingested.at("/progress/state").asText()).isEqualTo("DONE");
		assertThat(ingested.at("/progress/chunked").asInt()).isEqualTo(45);
		assertThat(job(toIngest).get("attempts")).isEqualTo(2);
		assertThat(api().post("/brain/versions/" + toIngest + "/seal", null).json().get("documentCount").asInt())
			.isEqualTo(45);

		// The seal and the activation are simply done again.
		JsonNode sealed = api().post("/brain/versions/" + toSeal + "/seal", null).json();
		assertThat(sealed.get("state").asText()).isEqualTo("READY");
		assertThat(sealed.get("documentCount").asInt()).isEqualTo(2);
		activate(toActivate);
		assertThat(count("activation_log")).isEqualTo(activationsBefore + 1);

		// The delivery's retry, with the same id, redoes it: one version, never two.
		String body = JSON.writeValueAsString(Map.of("documents",
				List.of(doc(unique("w"), "Delivered", "Delivered through the webhook.")), "activate", false));
		Api.Response retried = Webhooks.deliver(anonymousApi(), delivery, body);
		assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
		assertThat(retried.json().get("version").asLong()).isNotEqualTo(deliveryVersion);
		assertThat(api().get("/brain/versions/" + deliveryVersion).status()).isEqualTo(404);
		assertThat(this.jdbc.sql("select count(*) from webhook_delivery where id = ?")
			.param(delivery)
			.query(Long.class)
			.single()).isEqualTo(1);

		// A replica restarted on the killed one's data directory serves the active
		// version.
		// What a kill in the middle of a local build leaves: a half-written temporary
		// directory.
		Path halfBuilt = Files.createDirectories(dataDir.resolve("index").resolve(".tmp-v999-killed-mid-build"));
		Files.writeString(halfBuilt.resolve("_0.cfs"), "half a segment");
		try (SecondReplica restarted = SecondReplica.start(TestDatabase.get(), dataDir, "--brain.ingest.workers=0")) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> restarted.api().get("/brain/search?q=activated+crash").status() == 200);
			Api.Response search = restarted.api().get("/brain/search?q=activated+crash");
			assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(toActivate));
			assertThat(search.json().get("results").get(0).get("documentKey").asText()).isEqualTo(toActivateKey);
			assertThat(halfBuilt).doesNotExist();
			// A version deleted through this replica leaves the other replica's disk too.
			Path local = dataDir.resolve("index")
				.resolve(new VersionRef(toSeal, sealed.get("checksum").asText()).directoryName());
			await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(local));
			assertThat(api().delete("/brain/versions/" + toSeal).status()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(local));
			assertThat(restarted.api().get("/brain/versions/" + toSeal).status()).isEqualTo(404);
		}
	}

	private ChildJvm startChild(Path dataDir, Path pauses, int port) throws IOException {
		TestDatabase.Coordinates database = TestDatabase.get();
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--management.server.port=0",
				"--brain.data-dir=" + dataDir, "--brain.index.poll-interval=200ms",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--brain.ingest.workers=1",
				"--brain.ingest.job-lease=" + LEASE.toMillis() + "ms",
				"--brain.webhook.secret=" + TestKeys.WEBHOOK_SECRET, "--brain.ratelimit.search-per-minute=100000",
				"--brain.ratelimit.webhook-per-minute=100000", "--brain.ratelimit.default-per-minute=100000",
				"--brain.backup.enabled=false"));
		TestKeys.keyProperties().forEach((property) -> args.add("--" + property));
		return ChildJvm.start(BrainplaneApplication.class,
				List.of("brain.test.pause-at=" + String.join(",", POINTS), "brain.test.pause-dir=" + pauses), args);
	}

	private static void awaitReached(Path pauses, String point) {
		await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(pauses.resolve(point + ".reached")));
	}

	private SmartLifecycle ingestWorkers() {
		return this.context.getBeansOfType(SmartLifecycle.class)
			.values()
			.stream()
			.filter((bean) -> bean.getClass().getSimpleName().startsWith("IngestWorkers"))
			.findFirst()
			.orElseThrow();
	}

	private Map<String, Object> job(long version) {
		return this.jdbc.sql("select state, owner, attempts from ingest_job where version = ? order by id limit 1")
			.param(version)
			.query()
			.singleRow();
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
