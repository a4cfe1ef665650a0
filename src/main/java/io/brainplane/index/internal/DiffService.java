package io.brainplane.index.internal;

import java.util.List;

import io.brainplane.index.VersionService;
import io.brainplane.platform.BrainProblem;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Diffs two versions as set differences over their membership; no document is read.
 */
@Service
public class DiffService {

	private static final String PAIRS = """
			from (select document_key, revision_id from version_member where version = :from) a
			full join (select document_key, revision_id from version_member where version = :to) b using (document_key)
			""";

	private final JdbcClient jdbc;

	private final VersionService versions;

	DiffService(JdbcClient jdbc, VersionService versions) {
		this.jdbc = jdbc;
		this.versions = versions;
	}

	public Diff diff(long from, long to, int limit) {
		if (limit < 0 || limit > 100_000) {
			throw BrainProblem.invalid("limit", "must be between 0 and 100000");
		}
		this.versions.get(from);
		this.versions.get(to);
		long[] counts = this.jdbc.sql("""
				select count(*) filter (where a.revision_id is null),
				       count(*) filter (where b.revision_id is null),
				       count(*) filter (where a.revision_id <> b.revision_id),
				       count(*) filter (where a.revision_id = b.revision_id)
				""" + PAIRS)
			.param("from", from)
			.param("to", to)
			.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) })
			.single();
		return new Diff(from, to, new Diff.Keys(counts[0], keys(from, to, "a.revision_id is null", limit)),
				new Diff.Keys(counts[1], keys(from, to, "b.revision_id is null", limit)),
				new Diff.Keys(counts[2], keys(from, to, "a.revision_id <> b.revision_id", limit)),
				new Diff.Count(counts[3]));
	}

	private List<String> keys(long from, long to, String condition, int limit) {
		if (limit == 0) {
			return List.of();
		}
		return this.jdbc
			.sql("select document_key " + PAIRS + " where " + condition + " order by document_key limit :limit")
			.param("from", from)
			.param("to", to)
			.param("limit", limit)
			.query(String.class)
			.list();
	}

}
