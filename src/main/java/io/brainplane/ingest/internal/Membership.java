package io.brainplane.ingest.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.brainplane.index.VersionContents;
import io.brainplane.index.VersionService;

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

	private final JdbcClient jdbc;

	Membership(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Points the given keys at the given revisions and removes the deleted keys. Runs in
	 * the caller's transaction, after {@link VersionService#requireBuilding(long)}.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Change apply(long version, Map<String, Long> revisions, Collection<String> deletes) {
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
		int deleted = deletes.isEmpty() ? 0
				: this.jdbc.sql("delete from version_member where version = ? and document_key = any(?)")
					.params(version, deletes.toArray(String[]::new))
					.update();
		return new Change(changed.size(), revisions.size() - changed.size(), deleted);
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
		return this.jdbc
			.sql("""
					select count(*) as documents, coalesce(sum(r.chunk_count), 0) as chunks,
					       encode(sha256(convert_to(coalesce(string_agg(m.document_key || ':' || encode(r.content_sha256, 'hex'),
					              E'\\n' order by m.document_key), ''), 'UTF8')), 'hex') as checksum,
					       (select e.dimension from chunk_embedding e where e.model = ? limit 1) as dimension
					from version_member m join document_revision r on r.id = m.revision_id
					where m.version = ?
					""")
			.params(embeddingModel, version)
			.query((rs, row) -> new Summary(rs.getInt("documents"), rs.getLong("chunks"), rs.getString("checksum"),
					rs.getObject("dimension", Integer.class)))
			.single();
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
