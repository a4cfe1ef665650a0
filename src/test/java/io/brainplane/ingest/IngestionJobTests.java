package io.brainplane.ingest;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.TestModel;
import io.brainplane.support.Webhooks;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chunking and embedding run as background jobs: progress on the version, seals that wait
 * or refuse, priority, and resuming after a restart.
 */
class IngestionJobTests extends IntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * Documents of the restart test: enough that the first replica, on one thread, is
	 * still embedding when it stops (it gets through about 60 in the time it is up; the
	 * second embeds the rest live, about 20 a second on this machine).
	 */
	private static final int RESTART_DOCUMENTS = 300;

	@Test
	void progressIsShownOnTheVersionAndASealWaitsForTheJobs() {
		long version = createVersion("none");
		assertThat(api().put("/brain/versions/" + version + "/documents", Map.of("documents", documents("p", 40)))
			.status()).isEqualTo(200);

		JsonNode progress = api().get("/brain/versions/" + version).json().get("progress");
		assertThat(progress.get("documents").asInt()).isEqualTo(40);
		for (String field : List.of("state", "chunked", "chunks", "embedded", "failed", "percent")) {
			assertThat(progress.has(field)).as(field + " in " + progress).isTrue();
		}

		Api.Response sealed = api().post("/brain/versions/" + version + "/seal", null);
		assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
		JsonNode done = sealed.json().get("progress");
		assertThat(done.get("state").asText()).isEqualTo("DONE");
		assertThat(done.get("percent").asDouble()).isEqualTo(100.0);
		assertThat(done.get("embedded").asLong()).isEqualTo(sealed.json().get("chunkCount").asLong()).isPositive();

		JsonNode jobs = api().get("/brain/versions/" + version + "/jobs").json().get("jobs");
		assertThat(jobs).hasSize(1);
		assertThat(jobs.get(0).get("priority").asText()).isEqualTo("api");
		assertThat(jobs.get(0).get("state").asText()).isEqualTo("DONE");
		assertThat(jobs.get(0).get("documents").asInt()).isEqualTo(40);
	}

	@Test
	void aSealRefusesWhileJobsRunAndARestartedReplicaFinishesThem() throws Exception {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("ingest_restart");
		long version;
		int chunks;
		try (SecondReplica first = SecondReplica.start(database, Files.createTempDirectory("ingest-a"),
				"--brain.ingest.seal-wait=0s", "--brain.ingest.workers=1", "--brain.embedding.threads=1")) {
			version = first.api().post("/brain/versions", Map.of("base", "none")).json().get("version").asLong();
			Api.Response put = first.api()
				.send("PUT", "/brain/versions/" + version + "/documents", ndjson(documents("r", RESTART_DOCUMENTS)),
						"application/x-ndjson");
			assertThat(put.status()).as(put.toString()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> first.api()
					.get("/brain/versions/" + version)
					.json()
					.at("/progress/embedded")
					.asLong() > 0);
			// once the job has run a moment, its pace gives an estimate
			JsonNode running = await().atMost(Duration.ofSeconds(30))
				.until(() -> first.api().get("/brain/versions/" + version).json().get("progress"),
						(progress) -> progress.has("etaSeconds"));
			assertThat(running.get("state").asText()).isEqualTo("RUNNING");
			assertThat(running.get("percent").asDouble()).isGreaterThan(0).isLessThan(100);
			assertThat(running.get("etaSeconds").asLong()).isPositive();

			Api.Response refused = first.api().post("/brain/versions/" + version + "/seal", null);
			assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
			assertThat(refused.json().get("type").asText()).endsWith("ingestion-in-progress");
			assertThat(refused.json().at("/progress/state").asText()).isIn("QUEUED", "RUNNING");
			assertThat(refused.json().get("detail").asText()).contains("still being ingested");
		}
		// Stopping handed the job back; whatever was embedded stays embedded.
		JdbcClient jdbc = jdbc(database);
		assertThat(
				jdbc.sql("select state from ingest_job where version = ?").param(version).query(String.class).single())
			.isEqualTo("QUEUED");
		chunks = jdbc.sql("select count(*) from chunk").query(Integer.class).single();
		int embedded = jdbc.sql("select count(*) from chunk_embedding").query(Integer.class).single();
		assertThat(embedded).isPositive().isLessThan(RESTART_DOCUMENTS);
		// A replica that crashes never hands its job back: the job stays RUNNING under a
		// lease that runs out.
		jdbc.sql(
				"update ingest_job set state = 'RUNNING', owner = 'crashed', lease_until = now() - interval '1 second'")
			.update();

		try (SecondReplica second = SecondReplica.start(database, Files.createTempDirectory("ingest-b"))) {
			await().atMost(Duration.ofMinutes(3))
				.until(() -> second.api()
					.get("/brain/versions/" + version)
					.json()
					.at("/progress/state")
					.asText()
					.equals("DONE"));
			Api.Response sealed = second.api().post("/brain/versions/" + version + "/seal", null);
			assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
			assertThat(sealed.json().get("documentCount").asInt()).isEqualTo(RESTART_DOCUMENTS);
			assertThat(sealed.json().at("/progress/embedded").asLong())
				.isEqualTo(sealed.json().get("chunkCount").asLong());
			assertThat(chunks).isLessThanOrEqualTo(sealed.json().get("chunkCount").asInt());
		}
	}

	@Test
	void webhookDeliveriesAreEmbeddedBeforeBulkLoadsQueuedEarlier() throws Exception {
		try (SecondReplica replica = SecondReplica.start(TestDatabase.createDatabase("ingest_priority"),
				Files.createTempDirectory("ingest-priority"), "--brain.ingest.workers=1",
				"--brain.embedding.threads=1")) {
			Api api = replica.api();
			// The first load keeps the only worker busy while the rest is queued (75
			// documents: about 3 s of embedding on one thread here, the rest is queued
			// within a few hundred ms). The size of the second does not matter, only when
			// it starts.
			long first = bulkLoad(api, "b1", 75);
			long second = bulkLoad(api, "b2", 10);
			String body = JSON.writeValueAsString(Map.of("documents", documents("w", 3)));
			CompletableFuture<Api.Response> delivery = CompletableFuture
				.supplyAsync(() -> Webhooks.deliver(replica.anonymousApi(), unique("delivery"), body));
			assertThat(delivery.get().status()).as(delivery.get().toString()).isEqualTo(202);
			long webhook = delivery.get().json().get("version").asLong();

			Instant webhookDone = Instant.parse(job(api, webhook).get("finishedAt").asText());
			await().atMost(Duration.ofMinutes(2)).until(() -> job(api, second).get("state").asText().equals("DONE"));
			// queued before the delivery, started after it was done
			assertThat(Instant.parse(job(api, second).get("startedAt").asText())).isAfterOrEqualTo(webhookDone);
			assertThat(job(api, first).get("priority").asText()).isEqualTo("bulk");
			assertThat(job(api, webhook).get("priority").asText()).isEqualTo("webhook");
		}
	}

	@Test
	void aChunkIsEmbeddedOnceWhateverVersionsHoldIt() {
		List<Map<String, Object>> shared = documents(unique("shared"), 12);
		long first = sealedVersion("none", shared);

		List<Map<String, Object>> more = new ArrayList<>(shared);
		more.add(doc(unique("new"), "A new report", "Hypersonic inlet unstart was observed at Mach 6."));
		long second = sealedVersion("none", more);

		assertThat(this.jdbc.sql("""
				select count(*) from version_member m
				join chunk c on c.revision_id = m.revision_id
				join chunk_embedding e on e.embed_sha256 = c.embed_sha256
				where m.version = ? and e.created_at >= (select created_at from brain_index where version = ?)
				""").params(second, second).query(Integer.class).single())
			.as("only the new document's chunk was embedded for the second version")
			.isEqualTo(1);
		assertThat(api().get("/brain/versions/" + second).json().at("/progress/embedded").asLong())
			.isEqualTo(api().get("/brain/versions/" + first).json().get("chunkCount").asLong() + 1);
	}

	@Test
	void aVersionBasedOnAnotherModelsOrALexicalOneGetsEveryVectorFromItsOwnModel() throws Exception {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("ingest_backfill");
		long lexical;
		long backfilled;
		try (SecondReplica none = SecondReplica.start(database, Files.createTempDirectory("backfill-none"),
				"--brain.embedding.provider=none")) {
			lexical = none.api().post("/brain/versions", Map.of("base", "none")).json().get("version").asLong();
			none.api().put("/brain/versions/" + lexical + "/documents", Map.of("documents", documents("lex", 20)));
			Api.Response sealed = none.api().post("/brain/versions/" + lexical + "/seal", null);
			assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
			assertThat(sealed.json().has("embeddingModel")).isFalse();
			none.api().post("/brain/versions/" + lexical + "/activate", Map.of());
			Api.Response semantic = none.api().get("/brain/search?q=shock&mode=semantic");
			assertThat(semantic.status()).as(semantic.toString()).isEqualTo(409);
			assertThat(semantic.json().get("detail").asText()).contains("no embeddings").contains("mode=lexical");
			assertThat(none.api().get("/brain/search?q=shock&mode=hybrid").json().get("mode").asText())
				.as("hybrid falls back to words")
				.isEqualTo("lexical");
		}
		// a replica with a model (the tests'): the new version on the lexical base gets
		// every vector
		try (SecondReplica local = SecondReplica.start(database, Files.createTempDirectory("backfill-local"))) {
			long next = local.api()
				.post("/brain/versions", Map.of("base", Long.toString(lexical)))
				.json()
				.get("version")
				.asLong();
			Api.Response sealed = local.api().post("/brain/versions/" + next + "/seal", null);
			assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
			assertThat(sealed.json().get("embeddingModel").asText()).isEqualTo(TestModel.versionModel(TestModel.ID));
			assertThat(sealed.json().at("/progress/embedded").asLong()).isEqualTo(20);
			assertThat(local.api().get("/brain/versions/" + next + "/jobs").json().at("/jobs/0/priority").asText())
				.isEqualTo("bulk");
			backfilled = next;
		}
		// a replica with the other model: its new version gets every vector from that
		// model, the base keeps its own
		try (SecondReplica other = SecondReplica.start(database, Files.createTempDirectory("backfill-other"),
				"--brain.embedding.model=" + TestModel.OTHER)) {
			long next = other.api()
				.post("/brain/versions", Map.of("base", Long.toString(backfilled)))
				.json()
				.get("version")
				.asLong();
			Api.Response sealed = other.api().post("/brain/versions/" + next + "/seal", null);
			assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
			assertThat(sealed.json().get("embeddingModel").asText()).isEqualTo(TestModel.versionModel(TestModel.OTHER));
			assertThat(sealed.json().at("/progress/embedded").asLong()).isEqualTo(20);
			assertThat(other.api().get("/brain/versions/" + backfilled).json().get("embeddingModel").asText())
				.isEqualTo(TestModel.versionModel(TestModel.ID));
		}
	}

	private static long bulkLoad(Api api, String prefix, int count) {
		long version = api.post("/brain/versions", Map.of("base", "none")).json().get("version").asLong();
		Api.Response put = api.send("PUT", "/brain/versions/" + version + "/documents",
				ndjson(documents(prefix, count)), "application/x-ndjson");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		return version;
	}

	private static JsonNode job(Api api, long version) {
		return api.get("/brain/versions/" + version + "/jobs").json().get("jobs").get(0);
	}

	private static JdbcClient jdbc(TestDatabase.Coordinates database) {
		return JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(database.url(),
				database.username(), database.password()));
	}

	/** Distinct documents of about 900 characters (one chunk each) from a fixed seed. */
	static List<Map<String, Object>> documents(String prefix, int count) {
		String[] words = { "wing", "flow", "boundary", "layer", "shock", "heat", "pressure", "turbulent", "laminar",
				"nozzle", "blade", "vortex", "drag", "lift", "panel", "flutter", "mach", "thermal", "gradient",
				"surface", "jet", "wake", "inlet", "cone", "plate", "cylinder", "velocity", "density", "stress" };
		Random random = new Random(prefix.hashCode());
		List<Map<String, Object>> documents = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			StringBuilder text = new StringBuilder();
			while (text.length() < 900) {
				text.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? ". " : " ");
			}
			documents.add(doc(prefix + "-" + i, "Report " + prefix + " " + i, text.toString().strip() + "."));
		}
		return documents;
	}

	private static String ndjson(List<Map<String, Object>> documents) {
		StringBuilder lines = new StringBuilder();
		for (Map<String, Object> document : documents) {
			try {
				lines.append(JSON.writeValueAsString(document)).append('\n');
			}
			catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return lines.toString();
	}

}
