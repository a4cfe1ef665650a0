package io.brainplane.backup.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import org.springframework.stereotype.Component;

/**
 * Takes the snapshot: one REPEATABLE READ, read-only transaction, so every table is read
 * as of the same instant while searches and ingestion carry on;
 * {@code COPY ... TO STDOUT} per table into a gzip file; sequences read at the end (they
 * are never behind the rows copied); the manifest last.
 */
@Component
public class SnapshotWriter {

	private final DataSource dataSource;

	private final BackupDirectory directory;

	private final Clock clock;

	SnapshotWriter(DataSource dataSource, BackupDirectory directory, Clock clock) {
		this.dataSource = dataSource;
		this.directory = directory;
		this.clock = clock;
	}

	Manifest write(String id, Instant startedAt) throws IOException, SQLException {
		Path dir = this.directory.create(id);
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			connection.setReadOnly(true);
			try {
				Manifest manifest = snapshot(connection, id, startedAt, dir);
				connection.commit();
				this.directory.writeManifest(dir, manifest);
				return manifest;
			}
			catch (IOException | SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
		}
	}

	private Manifest snapshot(Connection connection, String id, Instant startedAt, Path dir)
			throws IOException, SQLException {
		// The first query fixes the snapshot every later COPY reads.
		Map<String, List<String>> tables = Catalog.tables(connection);
		String schemaVersion = Catalog.schemaVersion(connection);
		Long activeVersion = tables.containsKey("active_pointer") ? Catalog.activeVersion(connection) : null;
		CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
		List<Manifest.TableFile> files = new ArrayList<>();
		for (Map.Entry<String, List<String>> table : tables.entrySet()) {
			String file = table.getKey() + ".tsv.gz";
			BackupFiles.Writer writer = new BackupFiles.Writer(dir.resolve(file));
			long rows;
			try (writer) {
				rows = copy.copyOut("COPY " + Catalog.quote(table.getKey()) + " ("
						+ Catalog.columnList(table.getValue()) + ") TO STDOUT", writer.stream());
			}
			files.add(new Manifest.TableFile(table.getKey(), file, table.getValue(), rows, writer.size(),
					writer.sha256()));
		}
		List<Manifest.SequenceValue> sequences = new ArrayList<>();
		for (String sequence : Catalog.sequences(connection)) {
			sequences.add(Catalog.sequenceValue(connection, sequence));
		}
		return new Manifest(id, startedAt, this.clock.instant(), applicationVersion(), schemaVersion, activeVersion,
				files, sequences);
	}

	static String applicationVersion() {
		String version = SnapshotWriter.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

}
