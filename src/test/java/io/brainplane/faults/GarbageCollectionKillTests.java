package io.brainplane.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.brainplane.BrainplaneApplication;
import io.brainplane.lifecycle.internal.GarbageCollector;
import io.brainplane.support.Api;
import io.brainplane.support.ChildJvm;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.TestKeys;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 in the middle of a scheduled garbage collection, after it deleted an old
 * version and before it deleted the revisions only that version held: nothing a kept
 * version needs is gone, and the next collection (on a restarted replica) deletes the
 * orphans.
 */
class GarbageCollectionKillTests {

	@Test
	void aCollectionKilledAfterDeletingVersionsLeavesOrphansTheNextRunDeletes() throws Exception {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("brain_gc_kill");
		Path pauses = Files.createTempDirectory("gc-pauses");
		int port = freePort();
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--management.server.port=0",
				"--brain.data-dir=" + Files.createTempDirectory("gc-killed"), "--brain.index.poll-interval=200ms",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--brain.embedding.provider=none",
				"--brain.backup.enabled=false", "--brain.gc.enabled=true", "--brain.gc.initial-delay=1s",
				"--brain.gc.interval=1s", "--brain.gc.grace=0s", "--brain.index.keep-versions.count=1"));
		TestKeys.keyProperties().forEach((property) -> args.add("--" + property));
		long v1;
		long v2;
		long v3;
		try (ChildJvm child = ChildJvm.start(BrainplaneApplication.class,
				List.of("brain.test.pause-at=gc.after-versions", "brain.test.pause-dir=" + pauses), args)) {
			child.awaitOutput("Started BrainplaneApplication", Duration.ofMinutes(4));
			Api api = new Api("http://localhost:" + port).withHeaders(TestKeys.bearer(TestKeys.OPERATOR));
			v1 = sealed(api, "Herons stand still in the shallow water of the old mill pond.");
			activate(api, v1);
			v2 = sealed(api, "Kingfishers dive for minnows below the weir.");
			activate(api, v2);
			v3 = sealed(api, "Otters play on the muddy bank at dusk.");
			activate(api, v3);
			// count 1: v3 is active, v2 its rollback target, v1 goes
			await().atMost(Duration.ofMinutes(1))
				.until(() -> Files.exists(pauses.resolve("gc.after-versions.reached")));
			child.kill();
		}
		JdbcClient jdbc = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(
				database.url(), database.username(), database.password()));
		assertThat(jdbc.sql("select version from brain_index order by version").query(Long.class).list())
			.containsExactly(v2, v3);
		long orphans = jdbc.sql("""
				select count(*) from document_revision r
				where not exists (select 1 from version_member m where m.revision_id = r.id)
				""").query(Long.class).single();
		assertThat(orphans).isOne();

		try (SecondReplica replica = SecondReplica.start(database, Files.createTempDirectory("gc-restarted"),
				"--brain.embedding.provider=none", "--brain.gc.grace=0s", "--brain.index.keep-versions.count=1")) {
			// the killed run still holds the lock for up to a minute; the next run is
			// this one
			Map<String, Long> freed = replica.bean(GarbageCollector.class).collect();
			assertThat(freed).containsEntry("versions", 0L).containsEntry("revisions", 1L);
			assertThat(jdbc.sql("select count(*) from document_revision").query(Long.class).single()).isEqualTo(2);
			assertThat(replica.bean(GarbageCollector.class).collect()).containsEntry("revisions", 0L);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> replica.management().get("/actuator/health/readiness").status() == 200);
			Api.Response search = replica.api().get("/brain/search?q=otters+bank");
			assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(v3));
			assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo("doc-" + v3);
			assertThat(replica.api().post("/brain/rollback", Map.of("reason", "after gc")).status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Long.toString(v2)
					.equals(replica.api().get("/brain/search?q=kingfishers").header("X-Brain-Version")));
		}
	}

	private static long sealed(Api api, String content) {
		Api.Response created = api.post("/brain/versions", Map.of("label", "gc", "base", "none"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		long version = created.json().get("version").asLong();
		assertThat(api
			.put("/brain/versions/" + version + "/documents",
					Map.of("documents", List.of(Map.of("key", "doc-" + version, "title", "Birds", "content", content))))
			.status()).isEqualTo(200);
		Api.Response seal = api.post("/brain/versions/" + version + "/seal", null);
		assertThat(seal.status()).as(seal.toString()).isEqualTo(200);
		return version;
	}

	private static void activate(Api api, long version) {
		assertThat(api.post("/brain/versions/" + version + "/activate", Map.of()).status()).isEqualTo(200);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
