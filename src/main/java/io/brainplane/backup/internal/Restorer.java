package io.brainplane.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import org.springframework.stereotype.Component;

/**
 * Loads a verified backup. A restore truncates every backed-up table and copies the files
 * back in one transaction, so that a failure anywhere leaves the database as it was; then
 * moves the sequences, touches the active pointer and notifies the replicas, which
 * rebuild their local indexes from the restored rows. A drill loads the same files into a
 * scratch schema instead and never touches the live tables.
 */
@Component
public class Restorer {

	private final DataSource dataSource;

	Restorer(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** Empty when the backup's schema is not newer than the database's. */
	java.util.Optional<String> newerSchema(Manifest manifest) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			String current = Catalog.schemaVersion(connection);
			if (MigrationVersion.fromVersion(manifest.schemaVersion())
				.compareTo(MigrationVersion.fromVersion(current)) > 0) {
				return java.util.Optional.of("the backup is from schema version " + manifest.schemaVersion()
						+ ", newer than this database's " + current);
			}
			return java.util.Optional.empty();
		}
	}

	void restore(Path dir, Manifest manifest) throws SQLException, IOException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				load(connection, dir, manifest);
				connection.commit();
			}
			catch (SQLException | IOException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
		}
	}

	private void load(Connection connection, Path dir, Manifest manifest) throws SQLException, IOException {
		Map<String, List<String>> live = Catalog.tables(connection);
		List<String> missing = manifest.files()
			.stream()
			.map(Manifest.TableFile::table)
			.filter((table) -> !live.containsKey(table))
			.toList();
		if (!missing.isEmpty()) {
			throw new RestoreFailed("the database has no table " + missing.get(0));
		}
		List<String> tables = new ArrayList<>(live.keySet());
		try (Statement statement = connection.createStatement()) {
			statement.execute("set local lock_timeout = '30s'");
			// Every brain table, also those the backup does not know (added by a later
			// migration), so nothing refers to rows that are gone.
			statement.execute("truncate " + String.join(", ", tables.stream().map(Catalog::quote).toList()));
		}
		CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
		for (String table : tables) {
			Manifest.TableFile file = manifest.files()
				.stream()
				.filter((candidate) -> candidate.table().equals(table))
				.findFirst()
				.orElse(null);
			if (file != null) {
				copyIn(copy, Catalog.quote(table), dir, file);
			}
		}
		for (Manifest.SequenceValue sequence : manifest.sequences()) {
			try (PreparedStatement setval = connection.prepareStatement("""
					select setval(s.oid, ?, ?) from pg_class s join pg_namespace n on n.oid = s.relnamespace
					where s.relkind = 'S' and n.nspname = current_schema() and s.relname = ?
					""")) {
				setval.setLong(1, sequence.value());
				setval.setBoolean(2, sequence.called());
				setval.setString(3, sequence.name());
				setval.executeQuery().close();
			}
		}
		if (live.containsKey("active_pointer")) {
			try (Statement statement = connection.createStatement()) {
				// A new switch time makes every replica reconcile, even one that already
				// serves a version with the restored number.
				statement.executeUpdate(
						"update active_pointer set switched_at = clock_timestamp() where version is not null");
				statement.executeQuery("select pg_notify('brain_active', 'restore')").close();
			}
		}
	}

	/**
	 * Loads the backup into a scratch schema of the same database and returns the
	 * problems found (row counts that differ from the manifest). The schema is dropped
	 * whatever happens.
	 */
	List<String> drill(Path dir, Manifest manifest, String schema) throws SQLException, IOException {
		List<String> problems = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			String scratch = Catalog.quote(schema);
			String live;
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("select current_schema()")) {
				rs.next();
				live = Catalog.quote(rs.getString(1));
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute("drop schema if exists " + scratch + " cascade");
				statement.execute("create schema " + scratch);
				CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
				for (Manifest.TableFile file : manifest.files()) {
					String table = scratch + "." + Catalog.quote(file.table());
					statement.execute("create table " + table + " (like " + live + "." + Catalog.quote(file.table())
							+ " including defaults)");
					copyIn(copy, table, dir, file);
					try (ResultSet rs = statement.executeQuery("select count(*) from " + table)) {
						rs.next();
						if (rs.getLong(1) != file.rows()) {
							problems.add(file.table() + ": " + rs.getLong(1) + " rows restored, manifest says "
									+ file.rows());
						}
					}
				}
				statement.execute("drop schema " + scratch + " cascade");
				connection.commit();
			}
			catch (SQLException | IOException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
		}
		return problems;
	}

	private static void copyIn(CopyManager copy, String table, Path dir, Manifest.TableFile file)
			throws SQLException, IOException {
		try (InputStream in = BackupFiles.gunzip(dir.resolve(file.file()))) {
			long rows = copy.copyIn("COPY " + table + " (" + Catalog.columnList(file.columns()) + ") FROM STDIN", in);
			if (rows != file.rows()) {
				throw new RestoreFailed(file.table() + ": " + rows + " rows loaded, the manifest says " + file.rows());
			}
		}
		catch (SQLException ex) {
			throw new RestoreFailed(file.table() + ": the database refused the rows (" + ex.getSQLState() + ")", ex);
		}
	}

	/**
	 * A restore that could not complete; its message names the table and is safe to show.
	 */
	static final class RestoreFailed extends RuntimeException {

		RestoreFailed(String message) {
			super(message);
		}

		RestoreFailed(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
