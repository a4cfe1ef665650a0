package io.brainplane.quality;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL over {@code rag_hits}.
 */
@Repository
class HitStore {

	private static final String INSERT = """
			insert into rag_hits (query_id, at, version, client, query, query_sha256, k, grp, result_count,
			                      top_score, relevance, hit, latency_ms)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			on conflict (query_id) do nothing
			""";

	private final JdbcTemplate jdbcTemplate;

	private final JdbcClient jdbc;

	private final boolean storeQueryText;

	HitStore(JdbcTemplate jdbcTemplate, JdbcClient jdbc, HitProperties properties) {
		this.jdbcTemplate = jdbcTemplate;
		this.jdbc = jdbc;
		this.storeQueryText = properties.storeQueryText();
	}

	/** Writes the records; a record already written (a retried batch) is skipped. */
	void insert(List<HitRecord> records) {
		this.jdbcTemplate.batchUpdate(INSERT, records, records.size(), (statement, record) -> {
			statement.setObject(1, UUID.fromString(record.queryId()));
			statement.setTimestamp(2, Timestamp.from(record.at()));
			statement.setLong(3, record.version());
			statement.setString(4, record.client());
			statement.setString(5, this.storeQueryText ? record.query() : null);
			statement.setString(6, sha256(record.query()));
			statement.setInt(7, record.k());
			statement.setString(8, record.group());
			statement.setInt(9, record.resultCount());
			statement.setFloat(10, record.topScore());
			statement.setFloat(11, record.relevance());
			statement.setBoolean(12, record.hit());
			statement.setDouble(13, record.latencyMs());
		});
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

	static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Judged(long version, boolean automaticHit) {
	}

}
