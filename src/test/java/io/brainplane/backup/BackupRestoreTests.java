package io.brainplane.backup;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.backup.internal.BackupService;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backup, verify, restore and drill against a replica with a database of its own, so that
 * restores do not wipe the data of the other tests.
 */
class BackupRestoreTests extends IntegrationTest {

	private static SecondReplica replica;

	private static Path backups;

	private static Brain brain;

	private static Path dataDir;

	private static TestDatabase.Coordinates database;

	@BeforeAll
	static void startReplica() throws Exception {
		backups = Files.createTempDirectory("backups");
		dataDir = Files.createTempDirectory("restore");
		database = TestDatabase.createDatabase("backup_restore");
		replica = SecondReplica.start(database, dataDir, "--brain.backup.dir=" + backups);
		brain = new Brain(replica.api());
	}

	@AfterAll
	static void stopReplica() {
		replica.close();
	}

	@Test
	void restoreGivesBackTheEarlierVersionsActivePointerAndSearchResults() {
		String otters = unique("otters");
		long first = brain.sealed("none", List.of(Brain.doc(otters, "Otters hold hands while they sleep.")));
		brain.activate(first);
		long second = brain.sealed("active", List.of(Brain.doc(unique("seals"), "Seals and otters share the bay.")));
		brain.activate(second);
		assertThat(brain.api().post("/brain/rollback", Map.of()).status()).isEqualTo(200);
		awaitServing(first);
		Map<String, JsonNode> before = brain.visibleState("otters");
		assertThat(before.get("search")).isNotEmpty();
		String id = brain.backup();
		assertThat(brain.api().get("/brain/backups/" + id).json().get("activeVersion").asLong()).isEqualTo(first);

		long third = brain.sealed("none", List.of(Brain.doc(unique("walrus"), "Walruses and otters, a new brain.")));
		brain.activate(third);
		awaitServing(third);
		assertThat(brain.visibleState("otters")).isNotEqualTo(before);

		Api.Response restored = brain.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
		assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
		assertThat(restored.json().get("activeVersion").asLong()).isEqualTo(first);
		// The planner has statistics of the restored rows at once (a truncate and COPY
		// leave none: reltuples -1 until autovacuum's analyze, a minute or more later).
		assertThat(statistics("chunk")).isEqualTo(rows("chunk")).isPositive();
		assertThat(statistics("version_member")).isEqualTo(rows("version_member")).isPositive();
		awaitServing(first);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(brain.visibleState("otters")).isEqualTo(before));
		assertThat(brain.api().get("/brain/versions/" + third).status()).isEqualTo(404);
		// The bookkeeping survives the restore.
		assertThat(brain.api().get("/brain/backups/" + id).json().get("verifyOk").asBoolean()).isTrue();
		// Sequences came back too: the next version takes the number after the restored
		// ones.
		long next = brain.sealed("active", List.of(Brain.doc(unique("after"), "After the restore.")));
		assertThat(next).isEqualTo(third);
		// The audit trail is not restored, and neither is its sequence: entries written
		// after the backup stay, and the restore's own entry (written in the background)
		// is recorded after them, not refused as a duplicate key.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(restoreAudit().findValuesAsText("target")).contains("id=" + id + ",scope=all"));
	}

	@Test
	void restoreNeedsConfirmationAndUnknownBackupsAreNotFound() {
		brain.sealed("none", List.of(Brain.doc(unique("a"), "Something to back up.")));
		String id = brain.backup();
		Api.Response unconfirmed = brain.api().post("/brain/backups/" + id + "/restore", null);
		assertThat(unconfirmed.status()).isEqualTo(400);
		assertThat(unconfirmed.header("Content-Type")).startsWith("application/problem+json");
		assertThat(brain.api().get("/brain/backups/nope").status()).isEqualTo(404);
		assertThat(brain.api().post("/brain/backups/nope/verify", null).status()).isEqualTo(404);
		JsonNode list = brain.api().get("/brain/backups").json().get("backups");
		assertThat(list.findValuesAsText("id")).contains(id);
	}

	@Test
	void aBackupFromANewerOrOlderSchemaIsRefusedBeforeAnythingChanges() throws Exception {
		brain.sealed("none", List.of(Brain.doc(unique("n"), "Nightjars hunt at dusk.")));
		String id = brain.backup();
		Map<String, Long> counts = tableCounts();
		Path dir = backups.resolve(id);
		com.fasterxml.jackson.databind.node.ObjectNode manifest = Brain.manifest(dir);
		manifest.put("schemaVersion", "999");
		new com.fasterxml.jackson.databind.ObjectMapper().writeValue(dir.resolve("manifest.json").toFile(), manifest);
		Api.Response restore = brain.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
		assertThat(restore.status()).as(restore.toString()).isEqualTo(422);
		assertThat(restore.json().get("type").asText()).endsWith("/backup-schema-mismatch");
		assertThat(restore.json().get("detail").asText()).contains("newer").contains("nothing was restored");
		manifest.put("schemaVersion", "1");
		new com.fasterxml.jackson.databind.ObjectMapper().writeValue(dir.resolve("manifest.json").toFile(), manifest);
		Api.Response older = brain.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
		assertThat(older.status()).as(older.toString()).isEqualTo(422);
		assertThat(older.json().get("detail").asText()).contains("older");
		assertThat(tableCounts()).isEqualTo(counts);
	}

	@Test
	void aSecondBackupWhileOneRunsIsConflict() {
		LockProvider locks = replica.bean(LockProvider.class);
		SimpleLock running = locks
			.lock(new LockConfiguration(Instant.now(), BackupService.LOCK, Duration.ofMinutes(1), Duration.ZERO))
			.orElseThrow();
		try {
			Api.Response refused = brain.api().post("/brain/backups", null);
			assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
			assertThat(refused.json().get("type").asText()).endsWith("/backup-running");
		}
		finally {
			running.unlock();
		}
		brain.backup();
	}

	@Test
	void aCorruptedFileATruncatedGzipAndAMissingFileEachFailVerifyAndRestoreRefuses() throws Exception {
		long version = brain.sealed("none", List.of(Brain.doc(unique("k"), "Kingfishers dive for fish. ".repeat(50))));
		brain.activate(version);
		Map<String, Long> counts = tableCounts();

		String corrupted = brain.backup();
		Path file = backups.resolve(corrupted).resolve("chunk.tsv.gz");
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.seek(raf.length() / 2);
			int b = raf.read();
			raf.seek(raf.length() / 2);
			raf.write(b ^ 0xFF);
		}
		String truncated = brain.backup();
		Path truncatedFile = backups.resolve(truncated).resolve("document_revision.tsv.gz");
		byte[] bytes = Files.readAllBytes(truncatedFile);
		Files.write(truncatedFile, java.util.Arrays.copyOf(bytes, bytes.length / 2));
		String missing = brain.backup();
		Files.delete(backups.resolve(missing).resolve("brain_index.tsv.gz"));

		Map<String, String> expected = Map.of(corrupted, "chunk.tsv.gz", truncated, "document_revision.tsv.gz", missing,
				"brain_index.tsv.gz");
		expected.forEach((id, name) -> {
			JsonNode verify = brain.api().post("/brain/backups/" + id + "/verify", null).json();
			assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isFalse();
			assertThat(verify.get("problems").toString()).contains(name);
			assertThat(brain.api().get("/brain/backups/" + id).json().get("verifyOk").asBoolean()).isFalse();
			Api.Response restore = brain.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
			assertThat(restore.status()).as(restore.toString()).isEqualTo(422);
			assertThat(restore.json().get("type").asText()).endsWith("/backup-invalid");
			assertThat(restore.json().get("problems").toString()).contains(name);
		});
		assertThat(brain.api().post("/brain/backups/" + missing + "/verify", null).json().get("problems").toString())
			.contains("missing");
		assertThat(brain.api().post("/brain/backups/" + truncated + "/verify", null).json().get("problems").toString())
			.contains("unreadable gzip");
		assertThat(tableCounts()).isEqualTo(counts);
	}

	@Test
	void aRestoreThatFailsMidwayLeavesTheDatabaseUnchanged() throws Exception {
		long version = brain.sealed("none", List.of(Brain.doc(unique("h"), "Herons stand very still.")));
		brain.activate(version);
		String id = brain.backup();
		long later = brain.sealed("active", List.of(Brain.doc(unique("c"), "Cormorants dry their wings.")));
		brain.activate(later);
		awaitServing(later);
		Map<String, JsonNode> before = brain.visibleState("herons");
		Map<String, Long> counts = tableCounts();

		// The last table loaded gets a row the database refuses, after every other table
		// was already truncated and loaded.
		JsonNode files = Brain.manifest(backups.resolve(id)).get("files");
		String last = files.get(files.size() - 1).get("table").asText();
		Brain.appendRowsAndFixManifest(backups.resolve(id), last, "not\ta\tvalid\trow\tat\tall\n");
		assertThat(brain.api().post("/brain/backups/" + id + "/verify", null).json().get("ok").asBoolean()).isTrue();

		Api.Response restore = brain.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
		assertThat(restore.status()).as(restore.toString()).isEqualTo(422);
		assertThat(restore.json().get("type").asText()).endsWith("/restore-failed");
		assertThat(restore.json().get("detail").asText()).contains(last).doesNotContain("ERROR:");
		assertThat(tableCounts()).isEqualTo(counts);
		assertThat(brain.visibleState("herons")).isEqualTo(before);
	}

	@Test
	void aDrillRestoresIntoAScratchSchemaRecordsItsRtoAndLeavesTheLiveTablesUntouched() {
		long version = brain.sealed("none", List.of(Brain.doc(unique("d"), "Dippers walk under water.")));
		brain.activate(version);
		String id = brain.backup();
		brain.sealed("active", List.of(Brain.doc(unique("e"), "Egrets follow cattle.")));
		Map<String, Long> counts = tableCounts();

		Api.Response drill = brain.api().post("/brain/backups/" + id + "/drill", null);
		assertThat(drill.status()).as(drill.toString()).isEqualTo(200);
		assertThat(drill.json().get("ok").asBoolean()).as(drill.toString()).isTrue();
		assertThat(drill.json().get("problems")).isEmpty();
		double rto = drill.json().get("rtoSeconds").asDouble();
		assertThat(rto).isPositive();

		JsonNode backup = brain.api().get("/brain/backups/" + id).json();
		assertThat(backup.get("drilledAt").isNull()).isFalse();
		assertThat(backup.get("rtoSeconds").asDouble()).isEqualTo(rto);
		assertThat(tableCounts()).isEqualTo(counts);
		assertThat(replicaJdbc().sql("select count(*) from pg_namespace where nspname like 'brain_drill%'")
			.query(Long.class)
			.single()).isZero();
		String metrics = replica.management().get("/actuator/prometheus").raw();
		String rtoLine = metrics.lines()
			.filter((line) -> line.startsWith("brain_backup_drill_rto_seconds{"))
			.findFirst()
			.orElseThrow();
		assertThat(Double.parseDouble(rtoLine.substring(rtoLine.lastIndexOf(' ') + 1))).isEqualTo(rto,
				org.assertj.core.data.Offset.offset(1e-6));
		assertThat(metrics).contains("brain_backup_drill_last_seconds")
			.contains("brain_backup_last_success_seconds")
			.contains("brain_backup_size_bytes")
			.contains("brain_backup_duration_seconds_count")
			.contains("brain_backup_failures_total");
		JsonNode health = brain.api().get("/brain/health").json().get("checks").get("backup");
		assertThat(health.get("ok").asBoolean()).isTrue();
		assertThat(health.get("lastSuccessAt").isNull()).isFalse();
	}

	@Test
	void aDrillReplaysTheBackupsEvaluationSetsAgainstItsActiveVersionInTheScratchCopy() {
		String kiwi = unique("kiwi");
		String kea = unique("kea");
		long version = brain.sealed("none",
				List.of(Brain.doc(kiwi, "The kiwi is a flightless bird that lays a very large egg."),
						Brain.doc(kea, "The kea is an alpine parrot known for its curiosity.")));
		brain.activate(version);
		String set = unique("birds");
		Map<String, Object> golden = Map.of("k", 3, "queries",
				List.of(Map.of("q", "flightless bird large egg", "relevant", List.of(kiwi)),
						Map.of("q", "alpine parrot curiosity", "relevant", List.of(kea))));
		assertThat(brain.api().put("/brain/eval-sets/" + set, golden).status()).isEqualTo(200);
		Api.Response evaluated = brain.api().post("/brain/versions/" + version + "/evaluate?set=" + set, null);
		assertThat(evaluated.status()).as(evaluated.toString()).isEqualTo(200);
		String id = brain.backup();

		// after the backup, the live brain no longer answers the set: another version is
		// active and the set now names documents nobody has
		long other = brain.sealed("none", List.of(Brain.doc(unique("moa"), "Moas were giant birds, now extinct.")));
		brain.activate(other);
		Map<String, Object> broken = Map.of("k", 3, "queries",
				List.of(Map.of("q", "flightless bird large egg", "relevant", List.of("nobody"))));
		assertThat(brain.api().put("/brain/eval-sets/" + set, broken).status()).isEqualTo(200);
		Map<String, Long> counts = tableCounts();

		Api.Response drill = brain.api().post("/brain/backups/" + id + "/drill", null);
		assertThat(drill.status()).as(drill.toString()).isEqualTo(200);
		assertThat(drill.json().get("ok").asBoolean()).as(drill.toString()).isTrue();
		JsonNode evaluation = drill.json().get("evaluation");
		assertThat(evaluation.get("version").asLong()).isEqualTo(version);
		JsonNode score = null;
		for (JsonNode candidate : evaluation.get("sets")) {
			if (candidate.get("set").asText().equals(set)) {
				score = candidate;
			}
		}
		assertThat(score).as(evaluation.toString()).isNotNull();
		assertThat(score.get("version").asLong()).isEqualTo(version);
		assertThat(score.get("k").asInt()).isEqualTo(3);
		assertThat(score.get("queries").asInt()).isEqualTo(2);
		assertThat(score.get("hitRate").asDouble()).isEqualTo(1.0);
		assertThat(score.get("recall").asDouble()).isEqualTo(1.0);
		assertThat(score.get("mrr").asDouble()).isEqualTo(evaluated.json().get("mrr").asDouble());
		assertThat(evaluation.get("recorded").get("set").asText()).isEqualTo(set);
		assertThat(evaluation.get("recorded").get("hitRate").asDouble()).isEqualTo(1.0);
		assertThat(evaluation.get("seconds").asDouble()).isPositive();

		// the live brain is as it was, scratch schema and index gone
		assertThat(tableCounts()).isEqualTo(counts);
		assertThat(brain.api().get("/brain/health").json().path("version").asLong()).isEqualTo(other);
		assertThat(replicaJdbc().sql("select count(*) from pg_namespace where nspname like 'brain_drill%'")
			.query(Long.class)
			.single()).isZero();
		assertThat(dataDir.resolve("drills")).isEmptyDirectory();
	}

	@Test
	void aReplicaWithoutTheFilesReportsTheBackupUnavailableHereNeverCorrupt() throws Exception {
		brain.sealed("none", List.of(Brain.doc(unique("u"), "Umbrellabirds boom in the canopy.")));
		String id = brain.backup();
		TestDatabase.Coordinates shared = TestDatabase.get();
		TestDatabase.Coordinates same = new TestDatabase.Coordinates(
				shared.url().replaceFirst("/[^/?]+(\\?|$)", "/backup_restore$1"), shared.username(), shared.password());
		Map<String, Long> counts = tableCounts();
		try (SecondReplica elsewhere = SecondReplica.start(same, Files.createTempDirectory("elsewhere"),
				"--brain.backup.dir=" + Files.createTempDirectory("no-backups"), "--brain.backup.cron=-",
				"--brain.ingest.workers=0")) {
			Api.Response verify = elsewhere.api().post("/brain/backups/" + id + "/verify", null);
			assertThat(verify.status()).as(verify.toString()).isEqualTo(200);
			assertThat(verify.json().get("unavailable").asBoolean()).isTrue();
			assertThat(verify.json().get("ok").asBoolean()).isFalse();
			assertThat(verify.json().get("problems").get(0).asText()).startsWith("unavailable here");
			Api.Response restore = elsewhere.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
			assertThat(restore.status()).as(restore.toString()).isEqualTo(409);
			assertThat(restore.json().get("type").asText()).endsWith("/backup-unavailable");
		}
		// the verdict of the replica that has the files stands
		assertThat(brain.api().get("/brain/backups/" + id).json().get("verifyOk").asBoolean()).isTrue();
		assertThat(tableCounts()).isEqualTo(counts);
	}

	@Test
	void scopeVersionBringsOneVersionBackAsANewBuildingVersionAndChangesNothingElse() {
		String shared = unique("puffin");
		String lost = unique("gannet");
		long source = brain.sealed("none", List.of(Brain.doc(shared, "Puffins nest in burrows on cliff tops."),
				Brain.doc(lost, "Gannets dive into the sea from thirty metres.")));
		long active = brain.sealed("none", List.of(Brain.doc(shared, "Puffins nest in burrows on cliff tops.")));
		brain.activate(active);
		awaitServing(active);
		String id = brain.backup();
		String sourceChecksum = brain.api().get("/brain/versions/" + source).json().get("checksum").asText();
		// the version is gone, and so is the revision only it held (as a collection of
		// unused revisions would leave it)
		assertThat(brain.api().delete("/brain/versions/" + source).status()).isEqualTo(204);
		JdbcClient jdbc = replicaJdbc();
		jdbc.sql("delete from chunk_embedding where embed_sha256 in (select c.embed_sha256 from chunk c "
				+ "join document_revision r on r.id = c.revision_id where r.document_key = ?)")
			.param(lost)
			.update();
		jdbc.sql("delete from document_revision where document_key = ?").param(lost).update();
		long sharedRevision = jdbc.sql("select id from document_revision where document_key = ?")
			.param(shared)
			.query(Long.class)
			.single();
		JsonNode versionsBefore = brain.api().get("/brain/versions?limit=100").json().get("versions");
		JsonNode activationsBefore = brain.api().get("/brain/activations?limit=100").json();
		Map<String, Long> untouched = tableCounts();
		untouched.keySet()
			.removeAll(List.of("brain_index", "version_member", "document_revision", "chunk", "chunk_embedding",
					"ingest_job", "brain_audit"));

		Api.Response restored = brain.api()
			.post("/brain/backups/" + id + "/restore?confirm=true&scope=version&version=" + source, null);
		assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
		assertThat(restored.json().get("scope").asText()).isEqualTo("version");
		assertThat(restored.json().get("fromVersion").asLong()).isEqualTo(source);
		assertThat(restored.json().get("activeVersion").isNull()).isTrue();
		long version = restored.json().get("version").asLong();
		assertThat(version).isGreaterThan(active);

		JsonNode created = brain.api().get("/brain/versions/" + version).json();
		assertThat(created.get("state").asText()).isEqualTo("BUILDING");
		assertThat(created.get("label").asText()).contains("v" + source + " from backup " + id);
		// the shared revision is reused; the lost one is back with its chunks and vectors
		assertThat(jdbc.sql("select revision_id from version_member where version = ? and document_key = ?")
			.params(version, shared)
			.query(Long.class)
			.single()).isEqualTo(sharedRevision);
		assertThat(jdbc.sql("select count(*) from document_revision where document_key = ?")
			.param(lost)
			.query(Long.class)
			.single()).isOne();
		assertThat(jdbc.sql("""
				select count(*) from chunk c join document_revision r on r.id = c.revision_id
				join chunk_embedding e on e.embed_sha256 = c.embed_sha256 where r.document_key = ?
				""").param(lost).query(Long.class).single()).isPositive();

		// nothing else changed: other versions, the active pointer, activations,
		// telemetry
		JsonNode versionsAfter = brain.api().get("/brain/versions?limit=100").json().get("versions");
		List<JsonNode> others = new java.util.ArrayList<>();
		versionsAfter.forEach((node) -> {
			if (node.get("version").asLong() != version) {
				others.add(node);
			}
		});
		List<JsonNode> previous = new java.util.ArrayList<>();
		versionsBefore.forEach(previous::add);
		assertThat(others).isEqualTo(previous);
		assertThat(brain.api().get("/brain/activations?limit=100").json()).isEqualTo(activationsBefore);
		assertThat(brain.api().get("/brain/health").json().path("version").asLong()).isEqualTo(active);
		Map<String, Long> after = tableCounts();
		after.keySet().retainAll(untouched.keySet());
		assertThat(after).isEqualTo(untouched);

		// it is an ordinary building version: sealed once its job is done, then
		// searchable
		Api.Response seal = await().atMost(Duration.ofSeconds(60))
			.until(() -> brain.api().post("/brain/versions/" + version + "/seal", null),
					(response) -> response.status() != 409);
		assertThat(seal.status()).as(seal.toString()).isEqualTo(200);
		assertThat(seal.json().get("documentCount").asInt()).isEqualTo(2);
		assertThat(seal.json().get("checksum").asText()).isEqualTo(sourceChecksum);
		brain.activate(version);
		awaitServing(version);
		assertThat(brain.api().get("/brain/search?q=gannets+dive&k=5").json().path("results").toString())
			.contains(lost);

		// the audit trail is written in the background, in batches
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode audit = restoreAudit();
			assertThat(audit.findValuesAsText("target")).contains("id=" + id + ",scope=version,version=" + source);
			assertThat(audit.get(0).get("outcome").asText()).isEqualTo("ok");
		});
	}

	@Test
	void scopeVersionWithoutOrWithAnUnknownVersionIsRefusedWithNothingChanged() {
		long version = brain.sealed("none", List.of(Brain.doc(unique("r"), "Razorbills winter at sea.")));
		String id = brain.backup();
		Map<String, Long> counts = tableCounts();
		String restore = "/brain/backups/" + id + "/restore?confirm=true";

		Api.Response missing = brain.api().post(restore + "&scope=version", null);
		assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
		assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
		assertThat(missing.json().get("detail").asText()).contains("version=N");
		Api.Response malformed = brain.api().post(restore + "&scope=version&version=latest", null);
		assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
		assertThat(malformed.json().get("detail").asText()).contains("version");
		Api.Response wrongScope = brain.api().post(restore + "&scope=index&version=" + version, null);
		assertThat(wrongScope.status()).as(wrongScope.toString()).isEqualTo(400);
		Api.Response unknown = brain.api().post(restore + "&scope=version&version=987654", null);
		assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(unknown.json().get("type").asText()).endsWith("/backup-version-not-found");
		assertThat(unknown.json().get("detail").asText()).contains("no version 987654")
			.contains(Long.toString(version))
			.contains("nothing was restored");
		assertThat(tableCounts()).isEqualTo(counts);
		// no version number was used up either
		long next = brain.sealed("none", List.of(Brain.doc(unique("s"), "Shags are smaller than cormorants.")));
		assertThat(next).isEqualTo(version + 1);
		// the audit trail is written in the background, in batches: the newest entry is
		// the unknown version's refusal once its batch is in
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode audit = restoreAudit();
			assertThat(audit.get(0).get("outcome").asText()).isEqualTo("refused");
			assertThat(audit.get(0).get("status").asInt()).isEqualTo(422);
		});
	}

	private static JsonNode restoreAudit() {
		return brain.api().get("/brain/audit?action=backups.restore&limit=10").json().get("entries");
	}

	/** The planner's row count of a table of the replica's database. */
	private static long statistics(String table) {
		return replicaDatabase().queryForObject("select reltuples::bigint from pg_class where oid = ?::regclass",
				Long.class, table);
	}

	private static long rows(String table) {
		return replicaDatabase().queryForObject("select count(*) from " + table, Long.class);
	}

	private static JdbcTemplate replicaDatabase() {
		return new JdbcTemplate(new DriverManagerDataSource(database.url(), database.username(), database.password()));
	}

	private static void awaitServing(long version) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Long.toString(version)
				.equals(brain.api().get("/brain/search?q=anything").header("X-Brain-Version"))
					&& brain.api().get("/brain/health").json().path("version").asLong() == version);
	}

	private static JdbcClient replicaJdbc() {
		return replica.bean(JdbcClient.class);
	}

	/**
	 * Row counts of the tables a restore replaces. Left out: the backup module's
	 * bookkeeping; search records and their rollups (written in the background after the
	 * searches that produced them, so they may grow whatever the restore does); the audit
	 * trail (a refused restore is one more entry in it, by design); replica heartbeats.
	 */
	static Map<String, Long> tableCounts() {
		JdbcClient jdbc = replicaJdbc();
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : jdbc.sql(
				"select tablename from pg_tables where schemaname = current_schema() and tablename not in ('brain_backup', 'shedlock', 'rag_hits', 'brain_metrics', 'brain_audit', 'replica_heartbeat') order by 1")
			.query(String.class)
			.list()) {
			counts.put(table, jdbc.sql("select count(*) from \"" + table + "\"").query(Long.class).single());
		}
		return counts;
	}

}
