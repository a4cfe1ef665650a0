package io.brainplane.index.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.brainplane.index.IndexVersion;
import io.brainplane.index.VersionState;

/**
 * SQL over {@code brain_index} and {@code version_member}.
 */
@Repository
public class VersionStore {

	private static final String SELECT = """
			select b.version, b.label, b.state, b.parent, b.created_at, b.sealed_at, b.activated_at,
			       b.document_count, b.chunk_count, b.checksum, b.evaluation::text as evaluation,
			       b.embedding_model, b.embedding_dimension,
			       (p.version is not null) as active
			from brain_index b left join active_pointer p on p.version = b.version
			""";

	private final JdbcClient jdbc;

	VersionStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public long create(String label, Long parent, String embeddingModel) {
		long version = this.jdbc.sql("select nextval('brain_index_version_seq')").query(Long.class).single();
		this.jdbc.sql(
				"insert into brain_index (version, label, state, parent, embedding_model) values (?, ?, 'BUILDING', ?, ?)")
			.params(version, label, parent, embeddingModel)
			.update();
		if (parent != null) {
			this.jdbc.sql("""
					insert into version_member (version, document_key, revision_id)
					select ?, document_key, revision_id from version_member where version = ?
					""").params(version, parent).update();
		}
		return version;
	}

	public Optional<IndexVersion> find(long version) {
		return this.jdbc.sql(SELECT + " where b.version = ?").param(version).query(VersionStore::map).optional();
	}

	public List<IndexVersion> page(int limit, Long before) {
		return this.jdbc.sql(SELECT + " where (?::bigint is null or b.version < ?) order by b.version desc limit ?")
			.params(before, before, limit)
			.query(VersionStore::map)
			.list();
	}

	public Optional<Long> activeVersion() {
		return this.jdbc.sql("select version from active_pointer where id = 1")
			.query((rs, row) -> (Long) rs.getObject(1, Long.class))
			.optional();
	}

	/**
	 * Locks the version row against concurrent changes for the rest of the transaction.
	 */
	public Optional<VersionState> lock(long version) {
		return this.jdbc.sql("select state from brain_index where version = ? for update")
			.param(version)
			.query((rs, row) -> VersionState.valueOf(rs.getString(1)))
			.optional();
	}

	/**
	 * Counts and checksum of a version's membership: the checksum is SHA-256 over the
	 * sorted (key, content hash) pairs, so two versions with the same documents have the
	 * same one.
	 */
	public Contents contents(long version) {
		return this.jdbc
			.sql("""
					select count(*) as documents, coalesce(sum(r.chunk_count), 0) as chunks,
					       encode(sha256(convert_to(coalesce(string_agg(m.document_key || ':' || encode(r.content_sha256, 'hex'),
					              E'\\n' order by m.document_key), ''), 'UTF8')), 'hex') as checksum
					from version_member m join document_revision r on r.id = m.revision_id
					where m.version = ?
					""")
			.param(version)
			.query((rs, row) -> new Contents(rs.getInt("documents"), rs.getLong("chunks"), rs.getString("checksum")))
			.single();
	}

	public void markSealed(long version, Contents contents) {
		this.jdbc
			.sql("""
					update brain_index set state = 'READY', sealed_at = now(), document_count = ?, chunk_count = ?, checksum = ?,
					       embedding_dimension = (select e.dimension from chunk_embedding e
					                              where e.model = brain_index.embedding_model limit 1)
					where version = ?
					""")
			.params(contents.documents(), contents.chunks(), contents.checksum(), version)
			.update();
		this.jdbc.sql("select pg_notify('brain_sealed', ?)").param(Long.toString(version)).query().singleRow();
	}

	/** The active version, with the pointer row locked: no switch can run meanwhile. */
	public Optional<Long> activeVersionForUpdate() {
		return this.jdbc.sql("select version from active_pointer where id = 1 for update")
			.query((rs, row) -> (Long) rs.getObject(1, Long.class))
			.optional();
	}

	/** The version a rollback without a target would go back to. */
	public Optional<Long> rollbackTarget(long current) {
		return this.jdbc.sql("""
				select from_version from activation_log
				where to_version = ? and from_version is not null order by id desc limit 1
				""").param(current).query(Long.class).optional();
	}

	/**
	 * Deletes the version row; its membership and jobs go with it (foreign keys),
	 * children lose their parent link. Every replica is told ({@code brain_deleted}).
	 */
	public void delete(long version) {
		this.jdbc.sql("delete from brain_index where version = ?").param(version).update();
		this.jdbc.sql("select pg_notify('brain_deleted', ?)").param(Long.toString(version)).query().singleRow();
	}

	static IndexVersion map(ResultSet rs, int row) throws SQLException {
		return new IndexVersion(rs.getLong("version"), rs.getString("label"),
				VersionState.valueOf(rs.getString("state")), rs.getObject("parent", Long.class),
				rs.getBoolean("active"), instant(rs, "created_at"), instant(rs, "sealed_at"),
				instant(rs, "activated_at"), rs.getInt("document_count"), rs.getLong("chunk_count"),
				rs.getString("checksum"), rs.getString("evaluation"), rs.getString("embedding_model"),
				rs.getObject("embedding_dimension", Integer.class), null);
	}

	public static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	public record Contents(int documents, long chunks, String checksum) {
	}

	public void recordEvaluation(long version, String evaluationJson) {
		this.jdbc.sql("update brain_index set evaluation = ?::jsonb where version = ?")
			.params(evaluationJson, version)
			.update();
	}

	public Optional<String> evaluation(long version) {
		return this.jdbc.sql("select evaluation::text from brain_index where version = ?")
			.param(version)
			.query(String.class)
			.optional();
	}

}
