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
import io.brainplane.lifecycle.internal.GarbageCollector;
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
import org.springframework.jdbc.core.simple.JdbcClient;

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

	/**
	 * kill -9 of a replica in the middle of a drill (the scratch copy loaded) and a
	 * backup (every file written, no manifest yet); then, restarted, in the middle of a
	 * scheduled garbage collection (old versions deleted, the revisions only they held
	 * not yet) and a restore (loaded, not committed), on a database of their own, since a
	 * restore takes every table. The collection shares the restart's JVM (one child start
	 * less on two cores); it runs on the scheduler's thread, outside any transaction, so
	 * the restore's transaction is not held up by it.
	 */
	@Test
	void killedMidBackupRestoreDrillAndCollectionLosesNothingMarksNothingSucceededAndFreesTheLocksWithinAMinute()
			throws Exception {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("kill_backup");
		Path dataDir = Files.createTempDirectory("killed-backup-replica");
		Path backups = Files.createTempDirectory("killed-backups");
		Path pauses = Files.createTempDirectory("backup-pause-points");
		List<String> points = List.of("backup.before-manifest", "backup.restore.before-commit", "backup.drill.loaded",
				"gc.after-versions");
		JdbcClient db = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(
				database.url(), database.username(), database.password()));
		String good;
		String killedBackup;
		String firstKey = unique("first");
		String secondKey = unique("second");
		String thirdKey = unique("third");
		long first;
		long second;
		long third;
		Map<String, Long> before;
		int port = freePort();
		try (ChildJvm child = startChild(database, dataDir, backups, pauses, points, port)) {
			child.awaitOutput("Started BrainplaneApplication", Duration.ofMinutes(4));
			Api childApi = new Api("http://localhost:" + port).withHeaders(TestKeys.bearer(TestKeys.OPERATOR));
			first = sealed(childApi, List.of(doc(firstKey, "First", "The brain as it was backed up.")));
			assertThat(childApi.post("/brain/versions/" + first + "/activate", Map.of()).status()).isEqualTo(200);
			// a backup that runs through: its pause point lets it pass
			Files.createFile(pauses.resolve("backup.before-manifest.go"));
			good = backup(childApi);
			Files.delete(pauses.resolve("backup.before-manifest.go"));
			second = sealed(childApi, List.of(doc(secondKey, "Second", "Written after the backup.")));
			assertThat(childApi.post("/brain/versions/" + second + "/activate", Map.of()).status()).isEqualTo(200);

			List<CompletableFuture<?>> calls = new ArrayList<>();
			// 1. a drill, stopped with the backup loaded into its scratch schema
			calls.add(CompletableFuture.runAsync(() -> childApi.post("/brain/backups/" + good + "/drill", null)));
			awaitReached(pauses, "backup.drill.loaded");
			// 2. a backup, stopped with every file written and no manifest yet
			Files.delete(pauses.resolve("backup.before-manifest.reached"));
			Api.Response started = childApi.post("/brain/backups", null);
			assertThat(started.status()).as(started.toString()).isEqualTo(202);
			killedBackup = started.json().get("id").asText();
			awaitReached(pauses, "backup.before-manifest");
			assertThat(backups.resolve(killedBackup).resolve("chunk.tsv.gz")).exists();
			child.kill();
			calls.forEach((call) -> call.exceptionally((ex) -> null).join());
		}
		// The drill left no scratch schema; the backup is not SUCCEEDED and not listable.
		assertThat(db.sql("select count(*) from pg_namespace where nspname like 'brain_drill%'")
			.query(Long.class)
			.single()).isZero();
		assertThat(
				db.sql("select state from brain_backup where id = ?").param(killedBackup).query(String.class).single())
			.isNotEqualTo("SUCCEEDED");
		assertThat(backups.resolve(killedBackup).resolve("manifest.json")).doesNotExist();
		assertLockFreedWithinAMinute(db, "brain-backup");
		assertLockFreedWithinAMinute(db, "brain-backup-drill");

		// Restarted on the same data directory, with a collection every second that keeps
		// the active version and its rollback target.
		try (ChildJvm child = startChild(database, dataDir, backups, pauses, points, port, "--brain.gc.enabled=true",
				"--brain.gc.initial-delay=1s", "--brain.gc.interval=1s", "--brain.gc.grace=0s",
				"--brain.index.keep-versions.count=1")) {
			child.awaitOutput("Started BrainplaneApplication", Duration.ofMinutes(4));
			Api childApi = new Api("http://localhost:" + port).withHeaders(TestKeys.bearer(TestKeys.OPERATOR));
			// 3. a collection, stopped after deleting the first version (the third is
			// active, the second its rollback target), before the revision only the
			// first held
			third = sealed(childApi, List.of(doc(thirdKey, "Third", "Otters play on the muddy bank at dusk.")));
			assertThat(childApi.post("/brain/versions/" + third + "/activate", Map.of()).status()).isEqualTo(200);
			awaitReached(pauses, "gc.after-versions");
			// 4. a restore of the good backup, stopped with every table truncated and
			// loaded, not committed
			before = backupTableCounts(db);
			CompletableFuture<?> call = CompletableFuture
				.runAsync(() -> childApi.post("/brain/backups/" + good + "/restore?confirm=true", null));
			awaitReached(pauses, "backup.restore.before-commit");
			child.kill();
			call.exceptionally((ex) -> null).join();
		}
		// The restore is not applied at all.
		assertThat(backupTableCounts(db)).isEqualTo(before);
		assertThat(db.sql("select version from active_pointer").query(Long.class).single()).isEqualTo(third);
		assertLockFreedWithinAMinute(db, "brain-backup");
		// The collection's deletes of versions are done, the revision only the first
		// version held is left behind: nothing a kept version needs is gone.
		assertThat(db.sql("select version from brain_index order by version").query(Long.class).list())
			.containsExactly(second, third);
		assertThat(db.sql("""
				select count(*) from document_revision r
				where not exists (select 1 from version_member m where m.revision_id = r.id)
				""").query(Long.class).single()).isOne();

		// Recovery: nothing lost, the next collection deletes the orphan, the kept
		// versions serve, the good backup still restores, the killed one is failed.
		try (SecondReplica replica = SecondReplica.start(database, Files.createTempDirectory("backup-recovery"),
				"--brain.backup.dir=" + backups, "--brain.backup.cron=-", "--brain.gc.grace=0s",
				"--brain.index.keep-versions.count=1")) {
			// the killed collection still holds its lock for up to a minute; the next run
			// is this one
			Map<String, Long> freed = replica.bean(GarbageCollector.class).collect();
			assertThat(freed).containsEntry("versions", 0L).containsEntry("revisions", 1L);
			assertThat(db.sql("select count(*) from document_revision").query(Long.class).single()).isEqualTo(2);
			assertThat(replica.bean(GarbageCollector.class).collect()).containsEntry("revisions", 0L);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> replica.management().get("/actuator/health/readiness").status() == 200);
			Api.Response search = replica.api().get("/brain/search?q=otters+muddy+bank");
			assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(third));
			assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo(thirdKey);
			assertThat(replica.api().post("/brain/rollback", Map.of("reason", "after gc")).status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Long.toString(second)
					.equals(replica.api().get("/brain/search?q=written+after+backup").header("X-Brain-Version")));

			JsonNode listed = replica.api().get("/brain/backups").json().get("backups");
			for (JsonNode backup : listed) {
				if (backup.get("id").asText().equals(killedBackup)) {
					assertThat(backup.get("state").asText()).isNotEqualTo("SUCCEEDED");
				}
			}
			String next = backup(replica.api());
			assertThat(next).isNotEqualTo(killedBackup);
			JsonNode abandoned = replica.api().get("/brain/backups/" + killedBackup).json();
			assertThat(abandoned.get("state").asText()).isEqualTo("FAILED");
			assertThat(replica.api().post("/brain/backups/" + good + "/verify", null).json().get("ok").asBoolean())
				.isTrue();
			JsonNode drill = replica.api().post("/brain/backups/" + good + "/drill", null).json();
			assertThat(drill.get("ok").asBoolean()).as(drill.toString()).isTrue();
			Api.Response restored = replica.api().post("/brain/backups/" + good + "/restore?confirm=true", null);
			assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
			assertThat(restored.json().get("activeVersion").asLong()).isEqualTo(first);
			assertThat(db.sql("select count(*) from version_member where version in (?, ?)")
				.params(second, third)
				.query(Long.class)
				.single()).isZero();
		}
	}

	/**
	 * The killed holder's lock is still held, for at most a minute from now (it was last
	 * extended at most a minute ago); once that minute has passed (simulated by moving
	 * its expiry to now, no real minute waited) anybody takes it.
	 */
	private static void assertLockFreedWithinAMinute(JdbcClient db, String name) {
		assertThat(db.sql("select lock_until <= now() + interval '1 minute' from shedlock where name = ?")
			.param(name)
			.query(Boolean.class)
			.single()).as(name).isTrue();
		db.sql("update shedlock set lock_until = now() where name = ? and lock_until > now()").param(name).update();
	}

	private static long sealed(Api api, List<Map<String, Object>> documents) {
		Api.Response created = api.post("/brain/versions", Map.of("label", unique("v"), "base", "none"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		long version = created.json().get("version").asLong();
		assertThat(api.put("/brain/versions/" + version + "/documents", Map.of("documents", documents)).status())
			.isEqualTo(200);
		Api.Response seal = await().atMost(Duration.ofSeconds(90))
			.until(() -> api.post("/brain/versions/" + version + "/seal", null),
					(response) -> response.status() != 409);
		assertThat(seal.status()).as(seal.toString()).isEqualTo(200);
		return version;
	}

	private static String backup(Api api) {
		Api.Response started = await().atMost(Duration.ofSeconds(30))
			.until(() -> api.post("/brain/backups", null), (response) -> response.status() != 409);
		assertThat(started.status()).as(started.toString()).isEqualTo(202);
		String id = started.json().get("id").asText();
		await().atMost(Duration.ofSeconds(90))
			.until(() -> !"RUNNING".equals(api.get("/brain/backups/" + id).json().get("state").asText()));
		assertThat(api.get("/brain/backups/" + id).json().get("state").asText()).isEqualTo("SUCCEEDED");
		return id;
	}

	/**
	 * Row counts of what a restore replaces (not telemetry, bookkeeping or the audit
	 * trail).
	 */
	private static Map<String, Long> backupTableCounts(JdbcClient db) {
		Map<String, Long> counts = new java.util.TreeMap<>();
		for (String table : db.sql("""
				select tablename from pg_tables where schemaname = current_schema() and tablename not in
				('brain_backup', 'shedlock', 'rag_hits', 'brain_metrics', 'brain_audit', 'replica_heartbeat')
				""").query(String.class).list()) {
			counts.put(table, db.sql("select count(*) from \"" + table + "\"").query(Long.class).single());
		}
		return counts;
	}

	private ChildJvm startChild(TestDatabase.Coordinates database, Path dataDir, Path backups, Path pauses,
			List<String> points, int port, String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--management.server.port=0",
				"--brain.data-dir=" + dataDir, "--brain.index.poll-interval=200ms",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--brain.ingest.workers=1",
				"--brain.backup.dir=" + backups, "--brain.backup.cron=-", "--brain.ratelimit.search-per-minute=100000",
				"--brain.ratelimit.webhook-per-minute=100000", "--brain.ratelimit.default-per-minute=100000"));
		TestKeys.keyProperties().forEach((property) -> args.add("--" + property));
		args.addAll(List.of(extra));
		return ChildJvm.start(BrainplaneApplication.class,
				List.of("brain.test.pause-at=" + String.join(",", points), "brain.test.pause-dir=" + pauses), args);
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
