package io.brainplane.quality.internal;

import java.util.List;
import java.util.UUID;

import io.brainplane.platform.Sha256;
import io.brainplane.search.HitProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL over {@code rag_hits}.
 */
@Repository
public class HitStore {

	/** One statement per batch: arrays of columns, unnested. */
	private static final String INSERT = """
			insert into rag_hits (query_id, at, version, client, query, query_sha256, k, grp, result_count,
			                      top_score, relevance, hit, latency_ms, mode)
			select * from unnest(?::uuid[], ?::timestamptz[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::int[],
			                     ?::text[], ?::int[], ?::real[], ?::real[], ?::boolean[], ?::float8[], ?::text[])
			on conflict (query_id) do nothing
			""";

	private final JdbcClient jdbc;

	private final boolean storeQueryText;

	public HitStore(JdbcClient jdbc, HitProperties properties) {
		this.jdbc = jdbc;
		this.storeQueryText = properties.storeQueryText();
	}

	/** Writes the records; a record already written (a retried batch) is skipped. */
	public void insert(List<HitRecord> records) {
		int n = records.size();
		String[] ids = new String[n];
		String[] at = new String[n];
		long[] versions = new long[n];
		String[] clients = new String[n];
		String[] queries = new String[n];
		String[] hashes = new String[n];
		int[] ks = new int[n];
		String[] groups = new String[n];
		int[] counts = new int[n];
		float[] scores = new float[n];
		float[] relevance = new float[n];
		boolean[] hits = new boolean[n];
		double[] latencies = new double[n];
		String[] modes = new String[n];
		for (int i = 0; i < n; i++) {
			HitRecord record = records.get(i);
			ids[i] = record.queryId();
			at[i] = record.at().toString();
			versions[i] = record.version();
			clients[i] = record.client();
			queries[i] = this.storeQueryText ? record.query() : null;
			hashes[i] = Sha256.hex(record.query());
			ks[i] = record.k();
			groups[i] = record.group();
			counts[i] = record.resultCount();
			scores[i] = record.topScore();
			relevance[i] = record.relevance();
			hits[i] = record.hit();
			latencies[i] = record.latencyMs();
			modes[i] = record.mode();
		}
		this.jdbc.sql(INSERT)
			.params(ids, at, versions, clients, queries, hashes, ks, groups, counts, scores, relevance, hits, latencies,
					modes)
			.update();
	}

	/**
	 * Records a judgement on a search.
	 * @return the version the search ran on and its automatic verdict, or null when no
	 * such search is recorded
	 */
	Judged judge(UUID queryId, boolean relevant, String documentKey) {
		return this.jdbc.sql("""
				update rag_hits set feedback = ?, feedback_document = ?, feedback_at = now()
				where query_id = ? returning version, hit
				""")
			.params(relevant, documentKey, queryId)
			.query((rs, row) -> new Judged(rs.getLong(1), rs.getBoolean(2)))
			.optional()
			.orElse(null);
	}

	int prune(java.time.Duration retention) {
		return this.jdbc.sql("delete from rag_hits where at < now() - make_interval(secs => ?)")
			.param((double) retention.toSeconds())
			.update();
	}

	record Judged(long version, boolean automaticHit) {
	}

}
