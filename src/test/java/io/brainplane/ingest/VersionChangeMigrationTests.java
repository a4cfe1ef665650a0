package io.brainplane.ingest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.brainplane.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V23 creates {@code version_change} and fills it for the versions being built when it
 * runs (later writes keep it with the membership): the document keys each added, replaced
 * or removed against its base; nothing for sealed versions or versions without a base.
 * Migrated on a database of its own, stopped at V22 to write the rows V23 reads.
 */
class VersionChangeMigrationTests {

	@Test
	void theMigrationRecordsWhatEachBuildingVersionChangedAgainstItsBase() throws SQLException {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("migration_v23");
		migrate(database, "22");
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password()); Statement sql = connection.createStatement()) {
			sql.execute(
					"""
							insert into document_revision (id, document_key, content_sha256, content, content_bytes, chunk_count)
							values (1, 'a', '\\x01', 'a', 1, 1), (2, 'b', '\\x02', 'b', 1, 1), (3, 'b', '\\x03', 'b2', 2, 1),
							       (4, 'c', '\\x04', 'c', 1, 1), (5, 'd', '\\x05', 'd', 1, 1)
							""");
			sql.execute("""
					insert into brain_index (version, state, parent) values
					  (1, 'READY', null), (2, 'BUILDING', 1), (3, 'READY', 1), (4, 'BUILDING', null), (5, 'BUILDING', 1)
					""");
			sql.execute("""
					insert into version_member (version, document_key, revision_id) values
					  (1, 'a', 1), (1, 'b', 2), (1, 'c', 4),
					  (2, 'a', 1), (2, 'b', 3), (2, 'd', 5),
					  (3, 'a', 1), (3, 'd', 5),
					  (4, 'a', 1), (4, 'c', 4),
					  (5, 'a', 1), (5, 'b', 2), (5, 'c', 4)
					""");
		}
		migrate(database, "23");
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password());
				Statement sql = connection.createStatement();
				ResultSet rows = sql
					.executeQuery("select version, document_key from version_change order by version, document_key")) {
			List<String> changes = new ArrayList<>();
			while (rows.next()) {
				changes.add(rows.getLong(1) + ":" + rows.getString(2));
			}
			// version 2: b replaced, c removed, d added (a unchanged); version 3 is
			// sealed,
			// version 4 has no base, version 5 is its base's copy so far
			assertThat(changes).containsExactly("2:b", "2:c", "2:d");
		}
	}

	private static void migrate(TestDatabase.Coordinates database, String target) {
		Flyway.configure()
			.dataSource(database.url(), database.username(), database.password())
			.locations("classpath:db/migration")
			.target(target)
			.load()
			.migrate();
	}

}
