package io.brainplane.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.S3Server;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups on S3 (S3Proxy, in process), encrypted: taken by one instance, listed and
 * restored by a fresh one on an empty database that knows only the bucket and the key,
 * refused with nothing changed under a wrong key.
 */
class S3BackupTests extends IntegrationTest {

	private static final String KEY = key(1);

	private static final String NEW_KEY = key(2);

	private static final String PREFIX = "s3-backup-tests/";

	private static S3Server s3;

	private static SecondReplica origin;

	private static Brain brain;

	@BeforeAll
	static void start() throws Exception {
		s3 = S3Server.start();
		origin = SecondReplica.start(TestDatabase.createDatabase("s3_backup_origin"),
				Files.createTempDirectory("s3-origin"), s3Arguments("--brain.backup.encryption-key=" + KEY));
		brain = new Brain(origin.api());
	}

	@AfterAll
	static void stop() {
		origin.close();
		s3.close();
	}

	static String[] s3Arguments(String... more) {
		List<String> args = new java.util.ArrayList<>(
				List.of("--brain.backup.store=s3", "--brain.storage.s3.endpoint=" + s3.endpoint(),
						"--brain.storage.s3.bucket=" + S3Server.BUCKET, "--brain.storage.s3.path-style=true",
						"--brain.storage.s3.prefix=" + PREFIX, "--brain.backup.cron=-", "--brain.ingest.workers=1"));
		args.addAll(List.of(more));
		return args.toArray(String[]::new);
	}

	@Test
	void aFreshInstanceOnAnEmptyDatabaseRestoresTheBucketsBackupsWithARotatedKeyAndAWrongKeyIsRefused()
			throws Exception {
		String secret = unique("platypus");
		long version = brain.sealed("none",
				List.of(Brain.doc(secret, secret + " lays eggs and hunts by electroreception.")));
		brain.activate(version);
		String set = Brain.unique("monotremes");
		assertThat(origin.api()
			.put("/brain/eval-sets/" + set,
					Map.of("k", 3, "queries",
							List.of(Map.of("q", "lays eggs electroreception", "relevant", List.of(secret)))))
			.status()).isEqualTo(200);
		Api.Response evaluated = origin.api().post("/brain/versions/" + version + "/evaluate?set=" + set, null);
		assertThat(evaluated.status()).as(evaluated.toString()).isEqualTo(200);
		String id = brain.backup();

		// everything a restore needs is in the bucket, and none of it is plaintext
		List<String> keys = objectKeys(PREFIX + "backups/" + id + "/");
		assertThat(keys).contains(PREFIX + "backups/" + id + "/manifest.json", PREFIX + "backups/" + id + "/SHA256SUMS",
				PREFIX + "backups/" + id + "/document_revision.tsv.gz.enc");
		for (String key : keys) {
			byte[] stored = object(key);
			assertThat(contains(stored, secret)).as(key).isFalse();
			assertThat(contains(stored, KEY)).as(key).isFalse();
			if (key.endsWith(".enc")) {
				assertThat(gunzips(stored)).as(key).isFalse();
			}
		}
		JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
			.readTree(object(PREFIX + "backups/" + id + "/manifest.json"));
		assertThat(manifest.at("/encryption/algorithm").asText()).startsWith("AES-256-GCM");
		assertThat(manifest.at("/encryption/keyId").asText()).startsWith("k-");

		// a new cluster: empty database, the bucket, and the key, now rotated
		try (SecondReplica fresh = SecondReplica.start(TestDatabase.createDatabase("s3_backup_fresh"),
				Files.createTempDirectory("s3-fresh"), s3Arguments("--brain.backup.encryption-key=" + NEW_KEY,
						"--brain.backup.previous-encryption-keys=" + KEY))) {
			Brain recovered = new Brain(fresh.api());
			JsonNode listed = fresh.api().get("/brain/backups").json().get("backups");
			assertThat(listed.findValuesAsText("id")).contains(id);
			Api.Response verify = fresh.api().post("/brain/backups/" + id + "/verify", null);
			assertThat(verify.json().get("ok").asBoolean()).as(verify.toString()).isTrue();
			Api.Response restored = fresh.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
			assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
			assertThat(restored.json().get("scope").asText()).isEqualTo("all");
			assertThat(restored.json().get("activeVersion").asLong()).isEqualTo(version);
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(fresh.api().get("/brain/search?q=" + secret).json().toString())
					.contains(secret));

			// index scope: versions come back, search records stay
			JdbcClient jdbc = fresh.bean(JdbcClient.class);
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(30))
				.until(() -> jdbc.sql("select count(*) from rag_hits").query(Long.class).single() > 0);
			long hits = jdbc.sql("select count(*) from rag_hits").query(Long.class).single();
			long newer = recovered.sealed("active", List.of(Brain.doc(unique("later"), "Written after the backup.")));
			Api.Response index = fresh.api().post("/brain/backups/" + id + "/restore?confirm=true&scope=index", null);
			assertThat(index.status()).as(index.toString()).isEqualTo(200);
			assertThat(fresh.api().get("/brain/versions/" + newer).status()).isEqualTo(404);
			assertThat(jdbc.sql("select count(*) from rag_hits").query(Long.class).single())
				.isGreaterThanOrEqualTo(hits);

			// version scope: the backed-up version comes back beside the others,
			// decrypted
			// from the bucket, as a new building version; the active one stays
			long activeBefore = fresh.api().get("/brain/health").json().path("version").asLong();
			Api.Response one = fresh.api()
				.post("/brain/backups/" + id + "/restore?confirm=true&scope=version&version=" + version, null);
			assertThat(one.status()).as(one.toString()).isEqualTo(200);
			long copy = one.json().get("version").asLong();
			assertThat(copy).isNotEqualTo(version);
			assertThat(fresh.api().get("/brain/versions/" + copy).json().get("state").asText()).isEqualTo("BUILDING");
			assertThat(jdbc.sql("select document_key from version_member where version = ?")
				.param(copy)
				.query(String.class)
				.list()).containsExactly(secret);
			assertThat(fresh.api().get("/brain/health").json().path("version").asLong()).isEqualTo(activeBefore);

			// the drill restores the bucket's copy into a scratch schema and replays the
			// backup's evaluation sets against the version that was active
			Api.Response drill = fresh.api().post("/brain/backups/" + id + "/drill", null);
			assertThat(drill.json().get("ok").asBoolean()).as(drill.toString()).isTrue();
			JsonNode evaluation = drill.json().get("evaluation");
			assertThat(evaluation.get("version").asLong()).as(drill.toString()).isEqualTo(version);
			JsonNode score = null;
			for (JsonNode candidate : evaluation.get("sets")) {
				if (candidate.get("set").asText().equals(set)) {
					score = candidate;
				}
			}
			assertThat(score).as(evaluation.toString()).isNotNull();
			assertThat(score.get("queries").asInt()).isOne();
			assertThat(score.get("hitRate").asDouble()).isEqualTo(1.0);
			assertThat(score.get("mrr").asDouble()).isEqualTo(evaluated.json().get("mrr").asDouble());
			assertThat(evaluation.get("recorded").get("set").asText()).isEqualTo(set);
			assertThat(evaluation.get("seconds").asDouble()).isPositive();
			assertThat(jdbc.sql("select count(*) from pg_namespace where nspname like 'brain_drill%'")
				.query(Long.class)
				.single()).isZero();

			// a backup of this instance is under the new key only: an instance without
			// it (the origin) refuses every use of it, and changes nothing
			recovered.sealed("none", List.of(Brain.doc(unique("wombat"), "Wombats leave cube-shaped droppings.")));
			assertAWrongKeyIsRefusedWithNothingChanged(origin, recovered.backup());
		}
	}

	/**
	 * Every use of a backup whose key the instance lacks is refused with a problem that
	 * names the setting and no key, before anything changes. (Checked on the origin with
	 * a backup of the fresh instance, instead of an instance of its own: one application
	 * start less.)
	 */
	private static void assertAWrongKeyIsRefusedWithNothingChanged(SecondReplica wrong, String id) {
		JdbcClient jdbc = wrong.bean(JdbcClient.class);
		long versions = jdbc.sql("select count(*) from brain_index").query(Long.class).single();
		for (String call : List.of("verify", "restore?confirm=true", "restore?confirm=true&scope=version&version=1",
				"drill")) {
			Api.Response refused = wrong.api().post("/brain/backups/" + id + "/" + call, null);
			assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
			assertThat(refused.json().get("type").asText()).endsWith("/backup-key-missing");
			assertThat(refused.json().get("detail").asText()).contains("brain.backup.encryption-key")
				.doesNotContain(NEW_KEY)
				.doesNotContain(KEY);
		}
		assertThat(jdbc.sql("select count(*) from brain_index").query(Long.class).single()).isEqualTo(versions);
		JsonNode backup = wrong.api().get("/brain/backups/" + id).json();
		assertThat(backup.get("verifyOk").isNull()).as(backup.toString()).isTrue();
		assertThat(backup.get("drilledAt").isNull()).isTrue();
	}

	@Test
	void aBucketThatGoesAwayDuringTheUploadLeavesNoSucceededBackup() throws Exception {
		try (S3Server failing = S3Server.start();
				SecondReplica replica = SecondReplica.start(TestDatabase.createDatabase("s3_backup_outage"),
						Files.createTempDirectory("s3-outage"), "--brain.backup.store=s3",
						"--brain.storage.s3.endpoint=" + failing.endpoint(),
						"--brain.storage.s3.bucket=" + S3Server.BUCKET, "--brain.storage.s3.path-style=true",
						"--brain.backup.cron=-")) {
			Brain outage = new Brain(replica.api());
			outage.sealed("none", List.of(Brain.doc(unique("quokka"), "Quokkas carry their young in a pouch.")));
			failing.stop();
			Api.Response started = replica.api().post("/brain/backups", null);
			assertThat(started.status()).as(started.toString()).isEqualTo(202);
			String id = started.json().get("id").asText();
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(120))
				.until(() -> !"RUNNING".equals(replica.api().get("/brain/backups/" + id).json().get("state").asText()));
			assertThat(replica.api().get("/brain/backups/" + id).json().get("state").asText()).isEqualTo("FAILED");
			// the catalogue still answers while the bucket is away
			assertThat(replica.api().get("/brain/backups").status()).isEqualTo(200);
			assertThat(failing.blobStore()
				.list(S3Server.BUCKET, ListContainerOptions.Builder.recursive())
				.stream()
				.map(StorageMetadata::getName)
				.filter((name) -> name.endsWith("manifest.json"))).isEmpty();
		}
	}

	private static List<String> objectKeys(String prefix) {
		return s3.blobStore()
			.list(S3Server.BUCKET, ListContainerOptions.Builder.prefix(prefix).recursive())
			.stream()
			.map(StorageMetadata::getName)
			.toList();
	}

	private static byte[] object(String key) throws IOException {
		try (InputStream in = s3.blobStore().getBlob(S3Server.BUCKET, key).getPayload().openStream()) {
			return in.readAllBytes();
		}
	}

	private static boolean contains(byte[] haystack, String needle) {
		byte[] bytes = needle.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i + bytes.length <= haystack.length; i++) {
			if (Arrays.equals(haystack, i, i + bytes.length, bytes, 0, bytes.length)) {
				return true;
			}
		}
		return false;
	}

	private static boolean gunzips(byte[] bytes) {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
			in.readAllBytes();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String key(int seed) {
		byte[] key = new byte[32];
		Arrays.fill(key, (byte) seed);
		key[0] = 42;
		return Base64.getEncoder().encodeToString(key);
	}

}
