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
import io.brainplane.index.VersionContents;
import io.brainplane.index.VersionState;

/**
 * SQL over {@code brain_index}, {@code active_pointer} and {@code activation_log}; what a
 * version holds comes from {@link VersionContents} (the ingest module's membership).
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

	/**
	 * The definition of the checksums {@link VersionContents} computes (stored with each
	 * sealed version, V22): a version is summarized from its base only when the base's
	 * checksum has the same definition.
	 */
	static final int CHECKSUM_SCHEME = 2;

	private final JdbcClient jdbc;

	private final VersionContents contents;

	VersionStore(JdbcClient jdbc, VersionContents contents) {
		this.jdbc = jdbc;
		this.contents = contents;
	}

	public long create(String label, Long parent, String embeddingModel) {
		long version = this.jdbc.sql("select nextval('brain_index_version_seq')").query(Long.class).single();
		this.jdbc.sql("insert into brain_index (version, label, state, parent, embedding_model) values (?, ?, ?, ?, ?)")
			.params(version, label, VersionState.BUILDING.name(), parent, embeddingModel)
			.update();
		if (parent != null) {
			this.contents.copy(parent, version);
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
		return lockRow(version).map(Locked::state);
	}

	private Optional<Locked> lockRow(long version) {
		return this.jdbc.sql("select state, parent from brain_index where version = ? for update")
			.param(version)
			.query((rs, row) -> new Locked(VersionState.valueOf(rs.getString(1)), rs.getObject(2, Long.class)))
			.optional();
	}

	/**
	 * Locks the version row like {@link #lock(long)} and, when the version is
	 * {@code BUILDING}, counts one more change of its documents ({@link #changes(long)}).
	 */
	public Optional<Locked> lockForChange(long version) {
		Optional<Locked> locked = lockRow(version);
		if (locked.isPresent() && locked.get().state() == VersionState.BUILDING) {
			this.jdbc.sql("update brain_index set changes = changes + 1 where version = ?").param(version).update();
		}
		return locked;
	}

	/** A version's state and base, as locked for a change. */
	public record Locked(VersionState state, Long parent) {
	}

	/**
	 * How many times the version's documents were locked for a change: equal counts read
	 * at two moments mean the same membership in between.
	 */
	public Optional<Long> changes(long version) {
		return this.jdbc.sql("select changes from brain_index where version = ?")
			.param(version)
			.query(Long.class)
			.optional();
	}

	/**
	 * Counts, checksum and vector dimension of a version's contents.
	 */
	public VersionContents.Summary contents(long version) {
		record Row(String model, Long base, VersionContents.Summary baseSummary) {
		}
		Row row = this.jdbc.sql("""
				select v.embedding_model, p.version as base, p.document_count, p.chunk_count, p.checksum
				from brain_index v
				left join brain_index p on p.version = v.parent and p.state in %s and p.checksum is not null
				                       and p.checksum_scheme = %d
				where v.version = ?
				""".formatted(VersionState.sqlList(VersionState::sealed), CHECKSUM_SCHEME))
			.param(version)
			.query((rs, n) -> new Row(rs.getString("embedding_model"), rs.getObject("base", Long.class),
					new VersionContents.Summary(rs.getInt("document_count"), rs.getLong("chunk_count"),
							rs.getString("checksum"), null)))
			.optional()
			.orElse(new Row(null, null, null));
		// A sealed base's membership never changes again, and its summary is stored:
		// the version's is the base's plus what changed.
		return (row.base() != null) ? this.contents.summarizeChange(row.base(), row.baseSummary(), version, row.model())
				: this.contents.summarize(version, row.model());
	}

	public void markSealed(long version, VersionContents.Summary contents) {
		this.jdbc.sql("""
				update brain_index set state = ?, sealed_at = now(), document_count = ?, chunk_count = ?, checksum = ?,
				       checksum_scheme = ?, embedding_dimension = ?
				where version = ?
				""")
			.params(VersionState.READY.name(), contents.documents(), contents.chunks(), contents.checksum(),
					CHECKSUM_SCHEME, contents.dimension(), version)
			.update();
		this.jdbc.sql("select pg_notify('brain_sealed', ?)").param(Long.toString(version)).query().singleRow();
	}

	/**
	 * Counts a full rebuild of the version's local index and tells every replica
	 * ({@code brain_rebuilt}), in one statement.
	 * @return the version's rebuild count now, or empty when there is no such version
	 */
	public Optional<Long> markRebuilt(long version) {
		return this.jdbc.sql("""
				with bumped as (update brain_index set rebuilds = rebuilds + 1 where version = ? returning rebuilds)
				select rebuilds, pg_notify('brain_rebuilt', ?) from bumped
				""").params(version, Long.toString(version)).query((rs, row) -> rs.getLong(1)).optional();
	}

	/** The version's rebuild count, or empty when there is no such version. */
	public Optional<Long> rebuilds(long version) {
		return this.jdbc.sql("select rebuilds from brain_index where version = ?")
			.param(version)
			.query(Long.class)
			.optional();
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

	/** Sealed versions, newest first, with when each was last sealed or active. */
	public List<Aged> sealedNewestFirst() {
		return this.jdbc.sql("""
				select version, greatest(sealed_at, coalesce(activated_at, sealed_at)) as used from brain_index
				where state in ('READY', 'ACTIVE', 'RETIRED') order by version desc
				""").query((rs, row) -> new Aged(rs.getLong(1), instant(rs, "used"))).list();
	}

	/** Versions still {@code BUILDING} (or {@code FAILED}) created before the instant. */
	public List<Long> unsealedCreatedBefore(Instant before) {
		return this.jdbc.sql(
				"select version from brain_index where state in ('BUILDING', 'FAILED') and created_at < ? order by version")
			.param(java.sql.Timestamp.from(before))
			.query(Long.class)
			.list();
	}

	/** Every version's number and checksum (null until sealed). */
	public java.util.Map<Long, String> checksums() {
		java.util.Map<Long, String> checksums = new java.util.HashMap<>();
		this.jdbc.sql("select version, checksum from brain_index")
			.query((rs, row) -> checksums.put(rs.getLong(1), rs.getString(2)))
			.list();
		return checksums;
	}

	/** The versions still {@code BUILDING}. */
	public java.util.Set<Long> building() {
		return new java.util.HashSet<>(
				this.jdbc.sql("select version from brain_index where state = 'BUILDING'").query(Long.class).list());
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

	/** A version and when it was last sealed or active. */
	public record Aged(long version, Instant used) {
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
