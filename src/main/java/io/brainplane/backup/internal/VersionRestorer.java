package io.brainplane.backup.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.brainplane.index.IndexVersion;
import io.brainplane.index.VersionService;
import io.brainplane.ingest.RevisionImport;
import io.brainplane.platform.FaultPoint;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Restore of scope {@code version}: one version of a backup comes back as a new
 * {@code BUILDING} version, in one transaction. The backup's version, membership,
 * revision, chunk and vector files are loaded into temporary tables of that transaction
 * (dropped on commit, or with the connection if the process dies); the new version is
 * created through the index module's API and filled through the ingest module's, which
 * reuse every revision and vector already stored and insert the others. Nothing else
 * changes: other versions, the active pointer, search records.
 */
@Component
class VersionRestorer {

	/** The files a version restore reads, in load order. */
	static final List<String> TABLES = List.of("brain_index", "version_member", "document_revision", "chunk",
			"chunk_embedding");

	private static final int BATCH = 500;

	private final DataSource dataSource;

	private final Restorer restorer;

	private final TransactionTemplate transactions;

	private final VersionService versions;

	private final RevisionImport revisions;

	VersionRestorer(DataSource dataSource, Restorer restorer, TransactionTemplate transactions, VersionService versions,
			RevisionImport revisions) {
		this.dataSource = dataSource;
		this.restorer = restorer;
		this.transactions = transactions;
		this.versions = versions;
		this.revisions = revisions;
	}

	/**
	 * Brings back the backup's version {@code source} as a new building version.
	 * @throws VersionNotInBackup when the backup holds no such version (nothing changed)
	 */
	Restored restore(Manifest manifest, @Nullable BackupCipher.Key key, long source) throws SQLException, IOException {
		try {
			return this.transactions.execute((status) -> {
				try {
					return restoreInTransaction(manifest, key, source);
				}
				catch (SQLException ex) {
					throw new Wrapped(ex);
				}
				catch (IOException ex) {
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

	private Restored restoreInTransaction(Manifest manifest, @Nullable BackupCipher.Key key, long source)
			throws SQLException, IOException {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		for (String table : TABLES) {
			Manifest.TableFile file = manifest.files()
				.stream()
				.filter((candidate) -> candidate.table().equals(table))
				.findFirst()
				.orElseThrow(() -> new Restorer.RestoreFailed("the backup has no table " + table));
			String scratch = scratch(table);
			try (Statement statement = connection.createStatement()) {
				statement.execute("create temporary table " + scratch + " (like " + Catalog.quote(table)
						+ " including defaults) on commit drop");
			}
			this.restorer.copyIn(connection, scratch, manifest, file, key);
			if (table.equals("brain_index")) {
				Optional<SourceVersion> found = sourceVersion(connection, source);
				if (found.isEmpty()) {
					throw new VersionNotInBackup(manifest.id(), source, versionsIn(connection));
				}
			}
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("create index on " + scratch("version_member") + " (version)");
			statement.execute("create index on " + scratch("document_revision") + " (id)");
			statement.execute("create index on " + scratch("chunk") + " (revision_id)");
			statement.execute("create index on " + scratch("chunk_embedding") + " (model, embed_sha256)");
			statement.execute("analyze " + scratch("version_member") + ", " + scratch("document_revision") + ", "
					+ scratch("chunk") + ", " + scratch("chunk_embedding"));
		}
		SourceVersion from = sourceVersion(connection, source).orElseThrow();
		String label = "v" + source + " from backup " + manifest.id()
				+ ((from.label() != null) ? ": " + from.label() : "");
		IndexVersion created = this.versions.create(label.substring(0, Math.min(label.length(), 200)), "none");
		long version = created.version();
		List<Long> members = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement(
				"select revision_id from " + scratch("version_member") + " where version = ? order by document_key")) {
			select.setLong(1, source);
			try (ResultSet rs = select.executeQuery()) {
				while (rs.next()) {
					members.add(rs.getLong(1));
				}
			}
		}
		long chunks = 0;
		long embeddings = 0;
		for (int from0 = 0; from0 < members.size(); from0 += BATCH) {
			Long[] ids = members.subList(from0, Math.min(members.size(), from0 + BATCH)).toArray(Long[]::new);
			List<RevisionImport.Revision> batch = revisions(connection, ids);
			chunks += batch.stream().mapToLong((revision) -> revision.chunks().size()).sum();
			this.revisions.add(version, batch);
			if (from.embeddingModel() != null) {
				embeddings += this.revisions.storeEmbeddings(embeddings(connection, ids, from.embeddingModel()));
			}
		}
		this.revisions.complete(version);
		FaultPoint.reach("backup.restore-version.before-commit");
		return new Restored(source, version, members.size(), chunks, embeddings);
	}

	private static Optional<SourceVersion> sourceVersion(Connection connection, long source) throws SQLException {
		try (PreparedStatement select = connection
			.prepareStatement("select label, embedding_model from " + scratch("brain_index") + " where version = ?")) {
			select.setLong(1, source);
			try (ResultSet rs = select.executeQuery()) {
				return rs.next() ? Optional.of(new SourceVersion(rs.getString(1), rs.getString(2))) : Optional.empty();
			}
		}
	}

	private static List<Long> versionsIn(Connection connection) throws SQLException {
		List<Long> numbers = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("select version from " + scratch("brain_index") + " order by version")) {
			while (rs.next()) {
				numbers.add(rs.getLong(1));
			}
		}
		return numbers;
	}

	private static List<RevisionImport.Revision> revisions(Connection connection, Long[] ids) throws SQLException {
		Map<Long, List<RevisionImport.Chunk>> chunks = new java.util.HashMap<>();
		try (PreparedStatement select = connection.prepareStatement("""
				select revision_id, ordinal, text, start_offset, end_offset, embed_sha256 from %s
				where revision_id = any(?) order by revision_id, ordinal
				""".formatted(scratch("chunk")))) {
			select.setArray(1, connection.createArrayOf("bigint", ids));
			try (ResultSet rs = select.executeQuery()) {
				while (rs.next()) {
					chunks.computeIfAbsent(rs.getLong(1), (id) -> new ArrayList<>())
						.add(new RevisionImport.Chunk(rs.getInt(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
								rs.getBytes(6)));
				}
			}
		}
		List<RevisionImport.Revision> revisions = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement("""
				select id, document_key, content_sha256, title, source, metadata::text, content, content_bytes,
				       chunk_count
				from %s where id = any(?) order by document_key
				""".formatted(scratch("document_revision")))) {
			select.setArray(1, connection.createArrayOf("bigint", ids));
			try (ResultSet rs = select.executeQuery()) {
				while (rs.next()) {
					revisions.add(new RevisionImport.Revision(rs.getString(2), rs.getBytes(3), rs.getString(4),
							rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
							rs.getObject(9, Integer.class), chunks.getOrDefault(rs.getLong(1), List.of())));
				}
			}
		}
		if (revisions.size() != ids.length) {
			throw new Restorer.RestoreFailed(
					"the backup's membership names " + (ids.length - revisions.size()) + " revisions it does not hold");
		}
		return revisions;
	}

	private static List<RevisionImport.Embedding> embeddings(Connection connection, Long[] ids, String model)
			throws SQLException {
		List<RevisionImport.Embedding> embeddings = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement("""
				select e.embed_sha256, e.dimension, e.vector from %s e
				where e.model = ? and e.embed_sha256 in (select embed_sha256 from %s where revision_id = any(?))
				""".formatted(scratch("chunk_embedding"), scratch("chunk")))) {
			select.setString(1, model);
			select.setArray(2, connection.createArrayOf("bigint", ids));
			try (ResultSet rs = select.executeQuery()) {
				while (rs.next()) {
					embeddings.add(new RevisionImport.Embedding(model, rs.getBytes(1), rs.getInt(2), rs.getBytes(3)));
				}
			}
		}
		return embeddings;
	}

	private static String scratch(String table) {
		return Catalog.quote("backup_restore_" + table);
	}

	/**
	 * What came back.
	 *
	 * @param source the version's number in the backup
	 * @param version the new version's number
	 */
	record Restored(long source, long version, long documents, long chunks, long embeddings) {
	}

	private record SourceVersion(@Nullable String label, @Nullable String embeddingModel) {
	}

	/** The backup holds no such version; its message is safe to show. */
	static final class VersionNotInBackup extends RuntimeException {

		VersionNotInBackup(String id, long version, List<Long> versions) {
			super("backup " + id + " holds no version " + version + "; it holds "
					+ (versions.isEmpty() ? "no versions"
							: "versions " + String.join(", ", versions.stream().limit(50).map(String::valueOf).toList())
									+ ((versions.size() > 50) ? ", ... (" + versions.size() + " in all)" : "")));
		}

	}

	private static final class Wrapped extends RuntimeException {

		Wrapped(Exception cause) {
			super(cause);
		}

	}

}
