package io.brainplane.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BackupConsistencyTests extends IntegrationTest {

	/** The filesystem backup store of the shared context: {@code <data-dir>/backups}. */
	private final Path backups = DATA_DIR.resolve("backups").toAbsolutePath();

	@Autowired
	private DataSource dataSource;

	@Test
	void aBackupTakenWhileSearchesAndIngestionContinueIsConsistentAndRestoresOnAnotherDatabase() throws Exception {
		long active = sealedVersion("none", List.of(doc(unique("g"), "Grebes", "Grebes dance on the lake.")));
		activate(active);
		long building = createVersion("active");
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger ingested = new AtomicInteger();
		ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
		ExecutorService load = Executors.newFixedThreadPool(3);
		for (int writer = 0; writer < 2; writer++) {
			load.execute(() -> {
				while (!stop.get()) {
					List<Map<String, Object>> batch = IntStream.range(0, 10)
						.mapToObj((i) -> doc(unique("load"), "Load",
								("Grebes and coots share the reeds " + i + ". ").repeat(60)))
						.toList();
					statuses.add(api().put("/brain/versions/" + building + "/documents", Map.of("documents", batch))
						.status());
					ingested.incrementAndGet();
				}
			});
		}
		load.execute(() -> {
			while (!stop.get()) {
				statuses.add(api().get("/brain/search?q=grebes").status());
			}
		});
		String id;
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> ingested.get() >= 4);
			// Make the race certain: a writer holds document_revision while the backup
			// waits to copy it, and commits a revision with its chunk before the backup
			// moves on to the chunk table. Only a single snapshot keeps both out.
			try (Connection writer = this.dataSource.getConnection()) {
				writer.setAutoCommit(false);
				try (Statement statement = writer.createStatement()) {
					statement.execute("lock table document_revision in access exclusive mode");
					statement.execute(
							"""
									with revision as (
									  insert into document_revision (document_key, content_sha256, content, content_bytes, chunk_count)
									  values ('race-' || gen_random_uuid(), sha256(gen_random_uuid()::text::bytea), 'Racing grebes.', 14, 1)
									  returning id)
									insert into chunk (revision_id, ordinal, text, start_offset, end_offset, embed_sha256)
									select id, 0, 'Racing grebes.', 0, 14, sha256('Racing grebes.'::bytea) from revision
									""");
				}
				Api.Response started = api().post("/brain/backups", null);
				assertThat(started.status()).as(started.toString()).isEqualTo(202);
				id = started.json().get("id").asText();
				await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("""
						select count(*) from pg_stat_activity
						where wait_event_type = 'Lock' and query like 'COPY "document_revision"%'
						""").query(Long.class).single() > 0);
				writer.commit();
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> !"RUNNING".equals(api().get("/brain/backups/" + id).json().get("state").asText()));
			int afterBackup = ingested.get();
			await().atMost(Duration.ofSeconds(30)).until(() -> ingested.get() >= afterBackup + 2);
		}
		finally {
			stop.set(true);
			load.shutdown();
			load.awaitTermination(30, TimeUnit.SECONDS);
		}
		assertThat(api().get("/brain/backups/" + id).json().get("state").asText()).isEqualTo("SUCCEEDED");
		assertThat(statuses).isNotEmpty().allMatch((status) -> status == 200);

		// Restored on a database of its own, the snapshot must satisfy every foreign key
		// and every count must agree across tables.
		try (SecondReplica other = SecondReplica.start(TestDatabase.createDatabase("backup_consistency"),
				Files.createTempDirectory("consistency"), "--brain.backup.dir=" + this.backups,
				// no ingestion jobs: they would resume the snapshot's unfinished ones and
				// change the counts being compared
				"--brain.ingest.workers=0")) {
			Api.Response restored = other.api().post("/brain/backups/" + id + "/restore?confirm=true", null);
			assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
			JdbcClient jdbc = other.bean(JdbcClient.class);
			assertThat(jdbc.sql("""
					select count(*) from document_revision r
					where r.chunk_count <> (select count(*) from chunk c where c.revision_id = r.id)
					""").query(Long.class).single()).isZero();
			assertThat(jdbc.sql("""
					select count(*) from brain_index b where b.state <> 'BUILDING'
					and b.document_count <> (select count(*) from version_member m where m.version = b.version)
					""").query(Long.class).single()).isZero();
			JsonNode manifest = Brain.manifest(this.backups.resolve(id));
			for (JsonNode file : manifest.get("files")) {
				assertThat(jdbc.sql("select count(*) from \"" + file.get("table").asText() + "\"")
					.query(Long.class)
					.single()).as(file.get("table").asText()).isEqualTo(file.get("rows").asLong());
			}
			assertThat(manifest.get("activeVersion").asLong()).isEqualTo(active);
			assertThat(manifest.get("schemaVersion").asText()).isNotBlank();
			assertThat(manifest.get("sequences").findValuesAsText("name")).contains("brain_index_version_seq");
		}
	}

}
