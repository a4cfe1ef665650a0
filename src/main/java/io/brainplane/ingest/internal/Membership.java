package io.brainplane.ingest.internal;

import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.brainplane.index.VersionContents;
import io.brainplane.index.VersionService;
import io.brainplane.platform.Sha256;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which revision of which document a version holds ({@code version_member}, owned by this
 * module). Changing membership never copies a document: a row points at a shared,
 * content-addressed revision. The index module asks for what a version holds through
 * {@link VersionContents}, which this implements with one query per question.
 */
@Service
public class Membership implements VersionContents {

	private static final String PAIRS = """
			from (select document_key, revision_id from version_member where version = :from) a
			full join (select document_key, revision_id from version_member where version = :to) b using (document_key)
			""";

	/**
	 * The documents a version changed since its base ({@code :base}, which it was created
	 * from), among the keys it recorded as changed ({@code :keys}, see
	 * {@link #changedKeys}): each key's revision now (null: removed) and in the base
	 * (null: added), when they differ. Two primary-key probes per key; the keys come as
	 * an array so that the planner knows how few they are.
	 */
	static final String CHANGED = """
			select v.revision_id as now, b.revision_id as before
			from unnest(cast(:keys as text[])) k (document_key)
			left join version_member v on v.version = :version and v.document_key = k.document_key
			left join version_member b on b.version = :base and b.document_key = k.document_key
			where v.revision_id is distinct from b.revision_id
			""";

	private final JdbcClient jdbc;

	Membership(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Points the given keys at the given revisions and removes the deleted keys. Runs in
	 * the caller's transaction, after {@link VersionService#requireBuilding(long)}, whose
	 * answer is {@code base}: a version built on a base records the keys it changes
	 * ({@code version_change}), so that what it changed since can be read by key.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Change apply(long version, @Nullable Long base, Map<String, Long> revisions, Collection<String> deletes) {
		Map<String, Long> current = new HashMap<>();
		if (!revisions.isEmpty()) {
			this.jdbc
				.sql("select document_key, revision_id from version_member where version = ? and document_key = any(?)")
				.params(version, revisions.keySet().toArray(String[]::new))
				.query((rs, row) -> current.put(rs.getString(1), rs.getLong(2)))
				.list();
		}
		List<Map.Entry<String, Long>> changed = revisions.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().equals(current.get(entry.getKey())))
			.toList();
		if (!changed.isEmpty()) {
			this.jdbc.sql("""
					insert into version_member (version, document_key, revision_id)
					select ?, k, r from unnest(?::text[], ?::bigint[]) as t(k, r)
					on conflict (version, document_key) do update set revision_id = excluded.revision_id
					""")
				.params(version, changed.stream().map(Map.Entry::getKey).toArray(String[]::new),
						changed.stream().map(Map.Entry::getValue).toArray(Long[]::new))
				.update();
		}
		List<String> deleted = deletes.isEmpty() ? List.of() : this.jdbc
			.sql("delete from version_member where version = ? and document_key = any(?) returning document_key")
			.params(version, deletes.toArray(String[]::new))
			.query(String.class)
			.list();
		if (base != null && (!changed.isEmpty() || !deleted.isEmpty())) {
			List<String> keys = new ArrayList<>(deleted);
			changed.forEach((entry) -> keys.add(entry.getKey()));
			this.jdbc.sql("""
					insert into version_change (version, document_key) select ?, unnest(?::text[])
					on conflict do nothing
					""").params(version, keys.toArray(String[]::new)).update();
		}
		return new Change(changed.size(), revisions.size() - changed.size(), deleted.size());
	}

	@Override
	@Transactional(propagation = Propagation.MANDATORY)
	public void copy(long parent, long version) {
		this.jdbc.sql("""
				insert into version_member (version, document_key, revision_id)
				select ?, document_key, revision_id from version_member where version = ?
				""").params(version, parent).update();
	}

	@Override
	public Summary summarize(long version, @Nullable String embeddingModel) {
		MembershipSum sum = new MembershipSum();
		this.jdbc.sql("""
				select m.document_key, r.content_sha256, r.chunk_count
				from version_member m join document_revision r on r.id = m.revision_id
				where m.version = ?
				""").param(version).query((RowCallbackHandler) (rs) -> sum.add(rs, 1));
		return new Summary((int) sum.documents, sum.chunks, sum.hex(), dimension(embeddingModel));
	}

	@Override
	public Summary summarizeChange(long base, Summary baseSummary, long version, @Nullable String embeddingModel) {
		// the change first (the keys the version changed, each looked up in both
		// memberships), then the revisions it names, by primary key
		List<Long> added = new ArrayList<>();
		List<Long> removed = new ArrayList<>();
		this.jdbc.sql(CHANGED)
			.param("keys", changedKeys(this.jdbc, version))
			.param("base", base)
			.param("version", version)
			.query((RowCallbackHandler) (rs) -> {
				long now = rs.getLong(1);
				if (!rs.wasNull()) {
					added.add(now);
				}
				long before = rs.getLong(2);
				if (!rs.wasNull()) {
					removed.add(before);
				}
			});
		MembershipSum sum = new MembershipSum(new BigInteger(baseSummary.checksum(), 16), baseSummary.documents(),
				baseSummary.chunks());
		for (int sign : new int[] { 1, -1 }) {
			List<Long> ids = (sign == 1) ? added : removed;
			if (!ids.isEmpty()) {
				this.jdbc.sql("""
						select document_key, content_sha256, chunk_count from document_revision
						where id = any(cast(:ids as bigint[]))
						""")
					.param("ids", ids.toArray(Long[]::new))
					.query((RowCallbackHandler) (rs) -> sum.add(rs, sign));
			}
		}
		return new Summary((int) sum.documents, sum.chunks, sum.hex(), dimension(embeddingModel));
	}

	/**
	 * The keys a version built on a base added, replaced or removed since it was created
	 * (some may be back to the base's revision): a range of {@code version_change}'s
	 * primary key.
	 */
	static String[] changedKeys(JdbcClient jdbc, long version) {
		return jdbc.sql("select document_key from version_change where version = ?")
			.param(version)
			.query(String.class)
			.list()
			.toArray(String[]::new);
	}

	private Integer dimension(@Nullable String embeddingModel) {
		if (embeddingModel == null) {
			return null;
		}
		return this.jdbc.sql("select dimension from chunk_embedding where model = ? limit 1")
			.param(embeddingModel)
			.query(Integer.class)
			.optional()
			.orElse(null);
	}

	/**
	 * A membership's counts and checksum as members are added to it (sign 1) or taken
	 * from it (sign -1): the checksum is the sum modulo 2<sup>256</sup> of each member's
	 * SHA-256 of {@code key:content hash in hex}, so it can be updated by the members
	 * that changed, in any order.
	 */
	private static final class MembershipSum {

		private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

		private BigInteger sum;

		private long documents;

		private long chunks;

		MembershipSum() {
			this(BigInteger.ZERO, 0, 0);
		}

		MembershipSum(BigInteger sum, long documents, long chunks) {
			this.sum = sum;
			this.documents = documents;
			this.chunks = chunks;
		}

		void add(ResultSet rs, int sign) throws SQLException {
			String member = rs.getString(1) + ":" + HexFormat.of().formatHex(rs.getBytes(2));
			BigInteger hash = new BigInteger(1, Sha256.of(member));
			this.sum = (sign > 0) ? this.sum.add(hash) : this.sum.subtract(hash);
			this.documents += sign;
			this.chunks += (long) sign * rs.getInt(3);
		}

		String hex() {
			String hex = this.sum.mod(MODULUS).toString(16);
			return "0".repeat(64 - hex.length()) + hex;
		}

	}

	@Override
	public DiffCounts diffCounts(long from, long to) {
		return this.jdbc.sql("""
				select count(*) filter (where a.revision_id is null),
				       count(*) filter (where b.revision_id is null),
				       count(*) filter (where a.revision_id <> b.revision_id),
				       count(*) filter (where a.revision_id = b.revision_id)
				""" + PAIRS)
			.param("from", from)
			.param("to", to)
			.query((rs, row) -> new DiffCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
			.single();
	}

	@Override
	public List<String> diffKeys(long from, long to, DiffKind kind, int limit) {
		String condition = switch (kind) {
			case ADDED -> "a.revision_id is null";
			case REMOVED -> "b.revision_id is null";
			case CHANGED -> "a.revision_id <> b.revision_id";
		};
		return this.jdbc
			.sql("select document_key " + PAIRS + " where " + condition + " order by document_key limit :limit")
			.param("from", from)
			.param("to", to)
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/**
	 * What a change did: documents added or replaced, documents already identical,
	 * documents removed.
	 */
	public record Change(int upserted, int unchanged, int deleted) {
	}

}
