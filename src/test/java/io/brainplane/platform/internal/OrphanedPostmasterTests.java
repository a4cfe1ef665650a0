package io.brainplane.platform.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.brainplane.platform.PlatformProperties;
import io.brainplane.support.ChildJvm;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a JVM running the embedded database leaves its PostgreSQL running; the next
 * start must stop that orphan and start, the first time.
 */
class OrphanedPostmasterTests {

	@Test
	void theFirstStartAfterAKilledJvmStopsTheOrphanedPostgresAndKeepsItsData() throws Exception {
		Path dataDir = Files.createTempDirectory("orphan");
		Path postgresDir = dataDir.resolve("postgres");
		long orphan;
		try (ChildJvm child = ChildJvm.start(OrphanMaker.class, List.of(), List.of(postgresDir.toString()))) {
			child.awaitOutput("READY", Duration.ofMinutes(3));
			orphan = Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).strip());
			child.kill();
		}
		assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("postgres outlives the killed JVM")
			.contains(true);
		assertThat(OrphanedPostmaster.isPostgresOn(orphan, postgresDir, "")).isTrue();
		assertThat(OrphanedPostmaster.isPostgresOn(orphan, dataDir, "")).as("another directory").isFalse();
		assertThat(OrphanedPostmaster.isPostgresOn(ProcessHandle.current().pid(), postgresDir, postgresDir.toString()))
			.as("not a postgres")
			.isFalse();
		EmbeddedPostgres postgres = new EmbeddedDatabaseConfiguration()
			.embeddedPostgres(new PlatformProperties(dataDir));
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select note from survivor")) {
			assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
			assertThat(rows.next()).isTrue();
			assertThat(rows.getString(1)).isEqualTo("written before the kill");
		}
		finally {
			postgres.close();
		}
	}

}
