package io.brainplane.quality.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.brainplane.search.HitProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code brain_metrics} (one row per minute and version) up to date: every run
 * recomputes, from the raw records, each minute that gained a record or a judgement since
 * the last run, and upserts it. Recomputing is idempotent, so every replica may run it
 * without a lock. Also prunes raw records older than {@code brain.hits.retention}.
 */
@Component
public class MetricsRollup {

	private static final Logger log = LoggerFactory.getLogger(MetricsRollup.class);

	/** Covers transactions that committed after a run started but began before it. */
	private static final Duration OVERLAP = Duration.ofMinutes(1);

	private static final Duration FIRST_LOOKBACK = Duration.ofHours(1);

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final HitStore hits;

	private final HitProperties properties;

	private Instant since;

	MetricsRollup(JdbcClient jdbc, JdbcTemplate jdbcTemplate, HitStore hits, HitProperties properties) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.hits = hits;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${brain.hits.rollup-interval:30s}", initialDelayString = "5s")
	public void scheduled() {
		try {
			catchUp();
			int pruned = this.hits.prune(this.properties.retention());
			if (pruned > 0) {
				log.info("Pruned {} search records older than {}", pruned, this.properties.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Metrics rollup failed: {}", ex.getClass().getSimpleName());
		}
	}

	/** Rolls up every minute changed since the last run. */
	synchronized void catchUp() {
		Instant now = this.jdbc.sql("select now()").query(OffsetDateTime.class).single().toInstant();
		Instant from = (this.since != null) ? this.since.minus(OVERLAP) : now.minus(FIRST_LOOKBACK);
		rollupChangedSince(from);
		this.since = now;
	}

	/** Recomputes every minute holding a record written or judged since {@code from}. */
	void rollupChangedSince(Instant from) {
		Map<List<Object>, Minute> minutes = new LinkedHashMap<>();
		this.jdbc.sql("""
				select date_trunc('minute', h.at) as minute, h.version, h.latency_ms, h.hit, h.feedback
				from rag_hits h
				where (date_trunc('minute', h.at), h.version) in (
				    select date_trunc('minute', at), version from rag_hits
				    where recorded_at >= :from or feedback_at >= :from)
				""").param("from", Timestamp.from(from)).query((rs) -> {
			Instant minute = rs.getObject(1, OffsetDateTime.class).toInstant();
			long version = rs.getLong(2);
			Minute figures = minutes.computeIfAbsent(List.of(minute, version),
					(key) -> new Minute(minute, version, new Tally(version)));
			figures.tally().add(rs.getDouble(3), rs.getBoolean(4), rs.getObject(5, Boolean.class));
		});
		if (minutes.isEmpty()) {
			return;
		}
		this.jdbcTemplate.batchUpdate("""
				insert into brain_metrics (minute, version, requests, hits, auto_hits, judged, judged_hits,
				                           latency_sum_ms, latency_max_ms, latency_buckets, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::integer[], now())
				on conflict (minute, version) do update set requests = excluded.requests, hits = excluded.hits,
				    auto_hits = excluded.auto_hits, judged = excluded.judged, judged_hits = excluded.judged_hits,
				    latency_sum_ms = excluded.latency_sum_ms, latency_max_ms = excluded.latency_max_ms,
				    latency_buckets = excluded.latency_buckets, updated_at = now()
				""", List.copyOf(minutes.values()), 500, (statement, minute) -> {
			Tally tally = minute.tally();
			statement.setTimestamp(1, Timestamp.from(minute.minute()));
			statement.setLong(2, minute.version());
			statement.setLong(3, tally.requests());
			statement.setLong(4, tally.hits());
			statement.setLong(5, tally.autoHits());
			statement.setLong(6, tally.judged());
			statement.setLong(7, tally.judgedHits());
			statement.setDouble(8, tally.latencySum());
			statement.setDouble(9, tally.latencyMax());
			statement.setString(10, tally.bucketsLiteral());
		});
	}

	/** One minute of one version, counted from its raw records. */
	private record Minute(Instant minute, long version, Tally tally) {
	}

}
