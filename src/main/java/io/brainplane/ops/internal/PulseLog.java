package io.brainplane.ops.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code pulse_logs} table.
 */
@Repository
public class PulseLog {

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	PulseLog(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Takes the pulse lock for the current transaction: true for exactly one caller at a
	 * time across all replicas. Released at commit or rollback.
	 */
	boolean tryLock() {
		return Boolean.TRUE.equals(this.jdbc.sql("select pg_try_advisory_xact_lock(hashtext('brain.pulse'))")
			.query(Boolean.class)
			.single());
	}

	boolean recordedSince(String kind, Instant since) {
		return this.jdbc.sql("select exists (select 1 from pulse_logs where kind = ? and at > ?)")
			.params(kind, Timestamp.from(since))
			.query(Boolean.class)
			.single();
	}

	Optional<Instant> lastAt() {
		return this.jdbc.sql("select max(at) from pulse_logs")
			.query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
			.single();
	}

	Pulse insert(String kind, Instant at, PulseSummary summary) {
		long id = this.jdbc.sql("""
				insert into pulse_logs (kind, at, summary, text) values (?, ?, cast(? as jsonb), ?) returning id
				""").params(kind, Timestamp.from(at), write(summary), summary.text()).query(Long.class).single();
		return new Pulse(id, kind, at, summary, false, null);
	}

	void delivered(long id, PulseDelivery delivery) {
		this.jdbc.sql("update pulse_logs set delivered = ?, error = ? where id = ?")
			.params(delivery.delivered(), delivery.error(), id)
			.update();
	}

	List<Pulse> recent(int limit) {
		return this.jdbc
			.sql("select id, kind, at, summary, delivered, error from pulse_logs order by at desc, id desc limit ?")
			.param(limit)
			.query(this::pulse)
			.list();
	}

	private Pulse pulse(ResultSet rs, int row) throws SQLException {
		PulseSummary summary;
		try {
			summary = this.json.readValue(rs.getString("summary"), PulseSummary.class);
		}
		catch (JsonProcessingException ex) {
			throw new SQLException("unreadable pulse summary " + rs.getLong("id"), ex);
		}
		return new Pulse(rs.getLong("id"), rs.getString("kind"), rs.getTimestamp("at").toInstant(), summary,
				rs.getBoolean("delivered"), rs.getString("error"));
	}

	private String write(PulseSummary summary) {
		try {
			return this.json.writeValueAsString(summary);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
