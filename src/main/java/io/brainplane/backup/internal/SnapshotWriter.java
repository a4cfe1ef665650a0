package io.brainplane.backup.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.brainplane.platform.FaultPoint;
import io.brainplane.storage.Upload;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import org.springframework.stereotype.Component;

/**
 * Takes the snapshot: one REPEATABLE READ, read-only transaction, so every table is read
 * as of the same instant while searches and ingestion carry on;
 * {@code COPY ... TO STDOUT} per table, streamed through gzip (and the cipher) into the
 * backup store; sequences read at the end (they are never behind the rows copied); the
 * checksums and the manifest last.
 */
@Component
public class SnapshotWriter {

	private final DataSource dataSource;

	private final BackupArchive archive;

	private final BackupKeys keys;

	private final Clock clock;

	SnapshotWriter(DataSource dataSource, BackupArchive archive, BackupKeys keys, Clock clock) {
		this.dataSource = dataSource;
		this.archive = archive;
		this.keys = keys;
		this.clock = clock;
	}

	Manifest write(String id, Instant startedAt) throws IOException, SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			connection.setReadOnly(true);
			try {
				Manifest manifest = snapshot(connection, id, startedAt);
				connection.commit();
				FaultPoint.reach("backup.before-manifest");
				this.archive.complete(manifest);
				return manifest;
			}
			catch (IOException | SQLException | RuntimeException ex) {
				// A COPY cut off half-way (a full disk, a lost bucket) leaves the
				// connection's protocol state unknown: close it for good instead of
				// handing it back to the pool.
				try {
					connection.abort(Runnable::run);
				}
				catch (SQLException | RuntimeException abortFailed) {
					ex.addSuppressed(abortFailed);
				}
				throw ex;
			}
		}
	}

	private Manifest snapshot(Connection connection, String id, Instant startedAt) throws IOException, SQLException {
		BackupCipher.Key key = this.keys.current().orElse(null);
		// The first query fixes the snapshot every later COPY reads.
		Map<String, List<String>> tables = Catalog.tables(connection);
		String schemaVersion = Catalog.schemaVersion(connection);
		Long activeVersion = tables.containsKey("active_pointer") ? Catalog.activeVersion(connection) : null;
		CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
		List<Manifest.TableFile> files = new ArrayList<>();
		for (Map.Entry<String, List<String>> table : tables.entrySet()) {
			String file = table.getKey() + ((key != null) ? ".tsv.gz.enc" : ".tsv.gz");
			long rows;
			BackupFiles.Writer writer;
			// streamed: COPY into gzip, the cipher and the store's upload, one part in
			// memory; the object appears on commit only
			try (Upload upload = this.archive.upload(id, file)) {
				writer = new BackupFiles.Writer(upload, key);
				try (writer) {
					rows = copy.copyOut("COPY " + Catalog.quote(table.getKey()) + " ("
							+ Catalog.columnList(table.getValue()) + ") TO STDOUT", writer.stream());
				}
				upload.commit();
			}
			files.add(new Manifest.TableFile(table.getKey(), file, table.getValue(), rows, writer.size(),
					writer.sha256()));
		}
		List<Manifest.SequenceValue> sequences = new ArrayList<>();
		for (String sequence : Catalog.sequences(connection)) {
			sequences.add(Catalog.sequenceValue(connection, sequence));
		}
		Manifest.Encryption encryption = (key != null) ? new Manifest.Encryption(BackupCipher.ALGORITHM, key.id())
				: null;
		return new Manifest(id, startedAt, this.clock.instant(), applicationVersion(), schemaVersion, activeVersion,
				files, sequences, encryption);
	}

	static String applicationVersion() {
		String version = SnapshotWriter.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

}
