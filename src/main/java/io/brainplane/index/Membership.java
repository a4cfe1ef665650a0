package io.brainplane.index;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which revision of which document a version holds. Changing membership never copies a
 * document: a row points at a shared, content-addressed revision.
 */
@Service
public class Membership {

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

	/**
	 * The revisions among these that no version's membership points at: what the ingest
	 * module may delete (a membership row added concurrently is caught by the foreign
	 * key).
	 */
	public java.util.Set<Long> unreferenced(Collection<Long> revisionIds) {
		if (revisionIds.isEmpty()) {
			return java.util.Set.of();
		}
		return new java.util.HashSet<>(this.jdbc.sql("""
				select r from unnest(?::bigint[]) as t(r)
				where not exists (select 1 from version_member m where m.revision_id = t.r)
				""").param(revisionIds.toArray(Long[]::new)).query(Long.class).list());
	}

	/**
	 * What a change did: documents added or replaced, documents already identical,
	 * documents removed.
	 */
	public record Change(int upserted, int unchanged, int deleted) {
	}

}
