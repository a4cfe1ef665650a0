package io.brainplane.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import io.brainplane.platform.FaultPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.lang.Nullable;
import org.springframework.transaction.support.TransactionTemplate;
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

	private static final Logger log = LoggerFactory.getLogger(Restorer.class);

	/**
	 * Search records, feedback and their rollups, pulses and rate-limit buckets: what a
	 * restore of scope {@code index} keeps as it is.
	 */
	static final Set<String> TELEMETRY = Set.of("rag_hits", "brain_metrics", "auto_rollback_decision", "pulse_logs",
			"brain_rate_limit");

	private final DataSource dataSource;

	private final BackupArchive archive;

	private final TransactionTemplate transactions;

	Restorer(DataSource dataSource, BackupArchive archive, TransactionTemplate transactions) {
		this.dataSource = dataSource;
		this.archive = archive;
		this.transactions = transactions;
	}

	/**
	 * Empty when the backup's schema is this database's; otherwise why it cannot be
	 * restored here. A backup from an older schema would need the migrations since then
	 * run over its rows, which a plain load does not do, so it is refused too.
	 */
	java.util.Optional<String> otherSchema(Manifest manifest) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			String current = Catalog.schemaVersion(connection);
			int comparison = MigrationVersion.fromVersion(manifest.schemaVersion())
				.compareTo(MigrationVersion.fromVersion(current));
			if (comparison > 0) {
				return java.util.Optional.of("the backup is from schema version " + manifest.schemaVersion()
						+ ", newer than this database's " + current + "; restore it with that release or a later one");
			}
			if (comparison < 0) {
				return java.util.Optional.of("the backup is from schema version " + manifest.schemaVersion()
						+ ", older than this database's " + current
						+ "; restore it with the release that wrote it (an empty database at that version), "
						+ "then upgrade, which migrates the restored rows");
			}
			return java.util.Optional.empty();
		}
	}

	/**
	 * Replaces the tables of the scope with the backup's rows, in one transaction.
	 * @param telemetry whether search records and the other {@link #TELEMETRY} tables are
	 * replaced too ({@code all}) or kept ({@code index})
	 */
	void restore(Manifest manifest, @Nullable BackupCipher.Key key, boolean telemetry)
			throws SQLException, IOException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			List<String> tables;
			try {
				tables = load(connection, manifest, key, telemetry);
				FaultPoint.reach("backup.restore.before-commit");
				connection.commit();
			}
			catch (SQLException | IOException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			analyze(connection, tables);
		}
	}

	/**
	 * Gives the planner statistics of the restored rows right away. A truncate and
	 * {@code COPY} leave none (autovacuum analyzes only a minute or more later), and the
	 * first queries after a restore are the largest: the local index build streams every
	 * chunk of the restored active version. Best effort: the restore has committed.
	 */
	private static void analyze(Connection connection, List<String> tables) {
		try (Statement statement = connection.createStatement()) {
			connection.setAutoCommit(true);
			for (String table : tables) {
				statement.execute("analyze " + Catalog.quote(table));
			}
		}
		catch (SQLException ex) {
			log.warn("Could not analyze the restored tables (SQL state {}); autovacuum will", ex.getSQLState());
		}
	}

	/** Truncates the scope's tables and loads the backup's rows; returns the tables. */
	private List<String> load(Connection connection, Manifest manifest, @Nullable BackupCipher.Key key,
			boolean telemetry) throws SQLException, IOException {
		Map<String, List<String>> live = Catalog.tables(connection);
		if (!telemetry) {
			live.keySet().removeAll(TELEMETRY);
		}
		List<String> missing = manifest.files()
			.stream()
			.map(Manifest.TableFile::table)
			.filter((table) -> telemetry || !TELEMETRY.contains(table))
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
				copyIn(copy, Catalog.quote(table), manifest, file, key);
			}
		}
		// The sequences, with ALTER SEQUENCE ... RESTART: unlike setval, it is undone
		// with the transaction, so a restore that fails or is killed before its commit
		// leaves every sequence ahead of the rows that stay. The sequence of a table the
		// restore keeps (the audit trail; telemetry in scope index) stays where it is,
		// ahead of that table's rows.
		Map<String, String> owners = Catalog.sequenceOwners(connection);
		try (Statement statement = connection.createStatement()) {
			for (Manifest.SequenceValue sequence : manifest.sequences()) {
				String owner = owners.get(sequence.name());
				if (owner == null || tables.contains(owner)) {
					long next = sequence.called() ? sequence.value() + 1 : sequence.value();
					statement.execute("alter sequence " + Catalog.quote(sequence.name()) + " restart with " + next);
				}
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
		return tables;
	}

	/**
	 * Loads the backup into a scratch schema of the same database and returns the
	 * problems found (row counts that differ from the manifest); then, when the counts
	 * match, runs {@code then} in the same transaction with the scratch schema as the
	 * only schema on the search path, so that what it reads through the other modules'
	 * APIs is the backup's copy. The transaction is rolled back whatever happens: the
	 * schema never outlives the drill, even when the process dies.
	 */
	List<String> drill(Manifest manifest, @Nullable BackupCipher.Key key, String schema, InScratch then)
			throws SQLException, IOException {
		try {
			return this.transactions.execute((status) -> {
				status.setRollbackOnly();
				try {
					return drillInTransaction(manifest, key, schema, then);
				}
				catch (SQLException | IOException ex) {
					throw new Wrapped(ex);
				}
			});
		}
		catch (Wrapped ex) {
			if (ex.getCause() instanceof SQLException sql) {
				throw sql;
			}
			throw (IOException) ex.getCause();
		}
	}

	private List<String> drillInTransaction(Manifest manifest, @Nullable BackupCipher.Key key, String schema,
			InScratch then) throws SQLException, IOException {
		List<String> problems = new ArrayList<>();
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
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
				copyIn(copy, table, manifest, file, key);
				try (ResultSet rs = statement.executeQuery("select count(*) from " + table)) {
					rs.next();
					if (rs.getLong(1) != file.rows()) {
						problems
							.add(file.table() + ": " + rs.getLong(1) + " rows restored, manifest says " + file.rows());
					}
				}
			}
			FaultPoint.reach("backup.drill.loaded");
			if (problems.isEmpty()) {
				statement.execute("set local search_path to " + scratch);
				problems.addAll(then.run());
			}
		}
		return problems;
	}

	/** What a drill does with the loaded scratch copy; returns the problems it found. */
	@FunctionalInterface
	interface InScratch {

		List<String> run() throws SQLException, IOException;

	}

	private static final class Wrapped extends RuntimeException {

		Wrapped(Exception cause) {
			super(cause);
		}

	}

	/** Loads one file of the backup into {@code table} (quoted) over the connection. */
	void copyIn(Connection connection, String table, Manifest manifest, Manifest.TableFile file,
			@Nullable BackupCipher.Key key) throws SQLException, IOException {
		copyIn(connection.unwrap(PGConnection.class).getCopyAPI(), table, manifest, file, key);
	}

	private void copyIn(CopyManager copy, String table, Manifest manifest, Manifest.TableFile file,
			@Nullable BackupCipher.Key key) throws SQLException, IOException {
		try (InputStream in = BackupFiles.rows(this.archive.open(manifest.id(), file.file()), key)) {
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
