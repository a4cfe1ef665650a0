package io.brainplane.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.index.VersionRef;
import io.brainplane.index.VersionService;
import io.brainplane.ingest.IngestRetention;
import io.brainplane.lifecycle.internal.GarbageCollector;
import io.brainplane.search.IndexStorage;
import io.brainplane.index.IndexProperties;
import io.brainplane.search.internal.SegmentStore;
import io.brainplane.storage.ObjectStores;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The garbage collector on the shared database, from an empty brain, with the test limits
 * {@code brain.index.keep-versions.count=3} and {@code max-age=30d}: time passes by
 * advancing the injected clock.
 */
class GarbageCollectionTests extends IntegrationTest {

	@Autowired
	private GarbageCollector collector;

	@Autowired
	private VersionService versions;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ObjectStores stores;

	@Autowired
	private ObjectMapper json;

	@Autowired
	private IngestRetention ingest;

	@BeforeEach
	void empty() {
		emptyBrain();
	}

	@Test
	void keepsTheNewestVersionsTheActiveOneAndItsRollbackTargetThenPrunesByAge() {
		long v1 = sealedVersion("none", List.of(doc(unique("d"), "One", "The first version.")));
		long v2 = sealedVersion("none", List.of(doc(unique("d"), "Two", "The second version.")));
		long v3 = sealedVersion("none", List.of(doc(unique("d"), "Three", "The third version.")));
		activate(v1);
		activate(v2);
		long v4 = sealedVersion("none", List.of(doc(unique("d"), "Four", "The fourth version.")));
		long v5 = sealedVersion("none", List.of(doc(unique("d"), "Five", "The fifth version.")));
		long v6 = sealedVersion("none", List.of(doc(unique("d"), "Six", "The sixth version.")));
		long building = createVersion("none");
		long busy = createVersion("none");
		assertThat(api()
			.put("/brain/versions/" + busy + "/documents",
					Map.of("documents", List.of(doc(unique("d"), "Busy", "Still being ingested."))))
			.status()).isEqualTo(200);
		awaitIngested(busy, Duration.ofSeconds(30));

		Map<String, Long> freed = this.collector.collect();

		// count 3: v4..v6 are the newest, v2 is active, v1 the rollback target; v3 goes.
		assertThat(freed).containsEntry("versions", 1L);
		assertThat(existing()).containsExactlyInAnyOrder(v1, v2, v4, v5, v6, building, busy);
		assertThat(this.meters.get("brain.gc.freed").tag("kind", "versions").counter().count()).isPositive();

		// A week later the abandoned build goes, the one with a queued job stays.
		this.jdbc
			.sql("update ingest_job set state = 'QUEUED', next_attempt_at = now() + interval '1 day' where version = ?")
			.param(busy)
			.update();
		// and a rollup from 100 days ago (retention 90 days), beside one from today
		long version = 900_000_000L + (System.nanoTime() % 1_000_000);
		this.jdbc.sql("""
				insert into brain_metrics (minute, version, requests, hits, auto_hits, judged, judged_hits,
				                           latency_sum_ms, latency_max_ms, latency_buckets)
				values (date_trunc('minute', now()) - interval '92 days', ?, 1, 1, 1, 0, 0, 1, 1, '{}'),
				       (date_trunc('minute', now()), ?, 1, 1, 1, 0, 0, 1, 1, '{}')
				""").params(version, version).update();
		this.clock.advance(Duration.ofDays(8));
		this.collector.collect();
		assertThat(existing()).containsExactlyInAnyOrder(v1, v2, v4, v5, v6, busy);
		// finished jobs past their 7 days went; the queued one stays
		assertThat(this.jdbc.sql("select version from ingest_job").query(Long.class).list()).isNotEmpty()
			.containsOnly(busy);
		assertThat(this.jdbc.sql("select count(*) from brain_metrics where version = ?")
			.param(version)
			.query(Long.class)
			.single()).isOne();

		// Past max-age only the active version and its rollback target stay.
		this.jdbc.sql("update ingest_job set state = 'DONE', next_attempt_at = now() where version = ?")
			.param(busy)
			.update();
		this.clock.advance(Duration.ofDays(30));
		this.collector.collect();
		assertThat(existing()).containsExactlyInAnyOrder(v1, v2);
		assertThat(api().get("/brain/search?q=second").header("X-Brain-Version")).isEqualTo(Long.toString(v2));
	}

	@Test
	void freesOrphanRevisionsChunksEmbeddingsLocalIndexesAndStoreSegments() throws IOException {
		String a = unique("a");
		String b = unique("b");
		String kept = unique("k");
		String marker = unique("zx").replace("-", "");
		long v1 = sealedVersion("none",
				List.of(doc(a, "Alpha", "Alpha first text about " + marker + " herons."),
						doc(b, "Beta", "Beta text that only the first version holds about " + marker + " owls."),
						doc(kept, "Kept", "Kept everywhere: lighthouses and " + marker + " harbours.")));
		long v2 = createVersion(Long.toString(v1));
		assertThat(api()
			.put("/brain/versions/" + v2 + "/documents", Map.of("documents",
					List.of(doc(a, "Alpha", "Alpha second text about " + marker + " cranes.")), "deletes", List.of(b)))
			.status()).isEqualTo(200);
		assertThat(api().post("/brain/versions/" + v2 + "/seal", null).status()).isEqualTo(200);
		long v3 = sealedVersion(Long.toString(v2),
				List.of(doc(a, "Alpha", "Alpha third text about " + marker + " storks.")));
		activate(v1);
		activate(v3);
		// v2 is neither active nor the rollback target (v1 is): deleting it orphans its
		// revision of a, and nothing else (v1 still holds b).
		List<Long> firstRevisions = new java.util.ArrayList<>(
				this.jdbc.sql("select revision_id from version_member where version = ?")
					.param(v2)
					.query(Long.class)
					.list());
		firstRevisions.removeAll(this.jdbc.sql("select revision_id from version_member where version <> ?")
			.param(v2)
			.query(Long.class)
			.list());
		assertThat(firstRevisions).hasSize(1);
		List<byte[]> orphanHashes = this.jdbc.sql("select embed_sha256 from chunk where revision_id = any(?)")
			.param(firstRevisions.toArray(Long[]::new))
			.query(byte[].class)
			.list();
		assertThat(embeddings(orphanHashes)).isEqualTo(orphanHashes.size());
		Path local = localDir(v2);
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(local));

		// The segment store holds v2 and v3 (each a full build: three documents, one
		// changed).
		Path storePath = Files.createTempDirectory("gc-store");
		SegmentStore store = new SegmentStore(new IndexProperties(3, java.time.Duration.ofSeconds(1),
				new IndexProperties.KeepVersions(20, null, java.time.Duration.ofDays(7)), true, 0.3,
				IndexProperties.VectorEncoding.FLOAT32, IndexProperties.SegmentStoreKind.FILESYSTEM, storePath, 0),
				this.stores, this.json, new SimpleMeterRegistry());
		store.publish(ref(v2), local);
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(localDir(v3)));
		store.publish(ref(v3), localDir(v3));
		long filesBefore = files(storePath.resolve("segments"));

		// Within the grace period nothing is freed but v2's manifest in the store.
		this.versions.delete(v2);
		await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(local));
		assertThat(this.collector.collect()).containsEntry("revisions", 0L);
		IndexStorage.Swept early = store.sweepSegmentStore(this.versions.checksums(),
				this.clock.instant().minus(Duration.ofHours(1)));
		assertThat(early.manifests()).isOne();
		assertThat(early.files()).isZero();

		this.clock.advance(Duration.ofHours(2));
		Map<String, Long> freed = this.collector.collect();
		assertThat(freed.get("revisions")).isEqualTo(1);
		assertThat(freed.get("chunks")).isPositive();
		assertThat(freed.get("embeddings")).isGreaterThanOrEqualTo(orphanHashes.size());
		assertThat(embeddings(orphanHashes)).isZero();
		assertThat(this.jdbc.sql("select count(*) from document_revision where id = any(?)")
			.param(firstRevisions.toArray(Long[]::new))
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from chunk where revision_id = any(?)")
			.param(firstRevisions.toArray(Long[]::new))
			.query(Long.class)
			.single()).isZero();
		// the versions still kept hold all their documents and still search
		assertThat(this.jdbc.sql("select count(*) from document_revision where document_key = ?")
			.param(kept)
			.query(Long.class)
			.single()).isOne();
		Api.Response search = api().get("/brain/search?q=" + marker + "+storks");
		assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(v3));
		assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo(a);
		assertThat(api().post("/brain/rollback", Map.of("reason", "gc test")).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Long.toString(v1)
				.equals(api().get("/brain/search?q=" + marker + "+owls").header("X-Brain-Version")));
		assertThat(api().get("/brain/search?q=" + marker + "+owls").json().at("/results/0/documentKey").asText())
			.isEqualTo(b);
		assertThat(api().get("/brain/search?q=" + marker + "+lighthouses").json().at("/results/0/documentKey").asText())
			.isEqualTo(kept);
		// a second run finds nothing more
		assertThat(this.collector.collect()).containsEntry("revisions", 0L).containsEntry("embeddings", 0L);

		// Store: v2's manifest went first; the files only v2 used go once past the grace
		// period, v3's stay and it downloads whole.
		IndexStorage.Swept swept = store.sweepSegmentStore(this.versions.checksums(),
				this.clock.instant().minus(Duration.ofHours(1)));
		assertThat(swept.files()).isPositive();
		assertThat(files(storePath.resolve("segments"))).isEqualTo(filesBefore - swept.files());
		Path fresh = Files.createTempDirectory("gc-fresh");
		assertThat(store.download(ref(v3), fresh.resolve(ref(v3).directoryName()), fresh)).isTrue();
		assertThat(store.sweepSegmentStore(this.versions.checksums(), this.clock.instant().minus(Duration.ofHours(1)))
			.files()).isZero();
	}

	@Test
	void theRevisionSweepExaminesABoundedNumberOfRowsPerRunAndCarriesOnWhereItStopped() {
		String marker = unique("sweep").replace("-", "");
		List<Map<String, Object>> documents = new java.util.ArrayList<>();
		for (int i = 0; i < 3; i++) {
			documents.add(doc(unique("kept"), "Kept " + i, "Kept revision " + i + " about " + marker + " puffins."));
		}
		long kept = sealedVersion("none", documents);
		activate(kept);
		List<Long> referenced = revisions();
		assertThat(referenced).hasSize(3);
		// seven revisions no version holds, after the three the version holds (ids grow)
		for (int i = 0; i < 7; i++) {
			this.jdbc.sql("""
					insert into document_revision (document_key, content_sha256, content, content_bytes, chunk_count)
					values (?, sha256(?::bytea), 'orphan', 6, 0)
					""").params(unique("orphan"), unique("content")).update();
		}
		this.jdbc.sql("delete from ingest_sweep_cursor").update();
		java.time.Instant pastGrace = this.clock.instant().plus(Duration.ofHours(1));

		// at most four revisions a run, two a statement: 3 kept + 1 orphan, then 4
		// orphans,
		// then the last 2 orphans, the end of the table, and round to the start again
		assertThat(this.ingest.sweepRevisions(pastGrace, 2, 4).revisions()).isOne();
		assertThat(revisions()).hasSize(9);
		assertThat(this.ingest.sweepRevisions(pastGrace, 2, 4).revisions()).isEqualTo(4);
		assertThat(this.ingest.sweepRevisions(pastGrace, 2, 4).revisions()).isEqualTo(2);
		assertThat(revisions()).containsExactlyInAnyOrderElementsOf(referenced);
		assertThat(this.ingest.sweepRevisions(pastGrace, 2, 4).revisions()).isZero();
		assertThat(this.ingest.sweepRevisions(pastGrace, 2, 100).revisions()).isZero();
		assertThat(revisions()).containsExactlyInAnyOrderElementsOf(referenced);
		Api.Response search = api().get("/brain/search?mode=lexical&q=" + marker + "+puffins");
		assertThat(search.json().get("results")).hasSize(3);
		// an orphan behind the cursor is found once the sweep comes round again
		assertThat(this.ingest.sweepRevisions(pastGrace, 2, 2).revisions()).isZero();
		this.jdbc.sql("delete from version_member where revision_id = ?").param(referenced.get(0)).update();
		assertThat(this.ingest.sweepRevisions(pastGrace, 2, 2).revisions()).isOne();
		assertThat(revisions()).containsExactlyElementsOf(referenced.subList(1, 3));
	}

	private List<Long> revisions() {
		return this.jdbc.sql("select id from document_revision order by id").query(Long.class).list();
	}

	@Test
	void prunesFinishedWebhookDeliveriesPastTheirRetentionInBatchesAndKeepsPendingOnes() {
		String prefix = unique("delivery");
		for (int i = 0; i < 5; i++) {
			this.jdbc.sql("""
					insert into webhook_delivery (id, state, version, response, received_at, completed_at)
					values (?, 'DONE', null, '{}'::jsonb, now() - interval '41 days', now() - interval '40 days')
					""").param(prefix + "-old-" + i).update();
		}
		this.jdbc.sql("""
				insert into webhook_delivery (id, state, version, response, received_at, completed_at)
				values (?, 'DONE', null, '{}'::jsonb, now(), now())
				""").param(prefix + "-recent").update();
		this.jdbc.sql("""
				insert into webhook_delivery (id, state, version, received_at)
				values (?, 'PENDING', null, now() - interval '41 days')
				""").param(prefix + "-pending").update();
		double before = freedCount("webhook_deliveries");

		// retention 30 days (the default): the five finished 40 days ago go, two a
		// statement
		assertThat(this.ingest.pruneWebhookDeliveries(this.clock.instant().minus(Duration.ofDays(30)), 2))
			.isGreaterThanOrEqualTo(5);
		assertThat(deliveries(prefix)).containsExactlyInAnyOrder(prefix + "-recent", prefix + "-pending");

		// through the collector, a month later: the recent one goes too, counted; the
		// pending one (a delivery being applied or waiting for its retry) never
		this.clock.advance(Duration.ofDays(31));
		Map<String, Long> freed = this.collector.collect();
		assertThat(freed.get("webhook_deliveries")).isGreaterThanOrEqualTo(1);
		assertThat(deliveries(prefix)).containsExactly(prefix + "-pending");
		assertThat(freedCount("webhook_deliveries")).isGreaterThanOrEqualTo(before + 1);
		assertThat(this.collector.collect()).containsEntry("webhook_deliveries", 0L);
	}

	private List<String> deliveries(String prefix) {
		return this.jdbc.sql("select id from webhook_delivery where id like ?")
			.param(prefix + "%")
			.query(String.class)
			.list();
	}

	private double freedCount(String kind) {
		io.micrometer.core.instrument.Counter counter = this.meters.find("brain.gc.freed").tag("kind", kind).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private VersionRef ref(long version) {
		return new VersionRef(version, api().get("/brain/versions/" + version).json().get("checksum").asText());
	}

	private Path localDir(long version) {
		return DATA_DIR.resolve("index").resolve(ref(version).directoryName());
	}

	private long embeddings(List<byte[]> hashes) {
		return this.jdbc.sql("select count(*) from chunk_embedding where embed_sha256 = any(?)")
			.param(hashes.toArray(byte[][]::new))
			.query(Long.class)
			.single();
	}

	private List<Long> existing() {
		return this.jdbc.sql("select version from brain_index").query(Long.class).list();
	}

	private static long files(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).count();
		}
	}

}
