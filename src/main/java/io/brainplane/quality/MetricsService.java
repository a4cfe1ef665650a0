package io.brainplane.quality;

import java.sql.Array;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.brainplane.platform.BrainProblem;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * {@code GET /brain/metrics}: figures over the last hour or day, added up from the
 * per-minute rollups (brought up to date first), never from raw records. A window holds
 * whole minutes, from the one containing its start.
 */
@Service
public class MetricsService {

	private static final Map<String, Duration> WINDOWS = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24));

	/**
	 * Width of one point of {@link MetricsWindow#series()}: 60 points an hour, 96 a day.
	 */
	private static final Map<String, Duration> STEPS = Map.of("1h", Duration.ofMinutes(1), "24h",
			Duration.ofMinutes(15));

	private final JdbcClient jdbc;

	private final MetricsRollup rollup;

	MetricsService(JdbcClient jdbc, MetricsRollup rollup) {
		this.jdbc = jdbc;
		this.rollup = rollup;
	}

	public MetricsWindow window(String window) {
		Duration length = WINDOWS.get(window);
		if (length == null) {
			throw BrainProblem.invalid("window", "must be 1h or 24h");
		}
		this.rollup.catchUp();
		Instant from = this.jdbc.sql("select date_trunc('minute', now() - make_interval(secs => ?))")
			.param((double) length.toSeconds())
			.query(OffsetDateTime.class)
			.single()
			.toInstant();
		Figures total = new Figures(0);
		Map<Long, Figures> byVersion = new TreeMap<>();
		long step = STEPS.get(window).toSeconds();
		int points = (int) (length.toSeconds() / step) + 1;
		Figures[] series = new Figures[points];
		this.jdbc.sql("""
				select version, requests, hits, auto_hits, judged, judged_hits, latency_max_ms, latency_buckets, minute
				from brain_metrics where minute >= ?
				""").param(java.sql.Timestamp.from(from)).query((rs) -> {
			long version = rs.getLong(1);
			Array array = rs.getArray(8);
			Integer[] buckets = (Integer[]) array.getArray();
			long offset = (rs.getTimestamp(9).toInstant().getEpochSecond() - from.getEpochSecond()) / step;
			int point = (int) Math.max(0, Math.min(points - 1, offset));
			if (series[point] == null) {
				series[point] = new Figures(0);
			}
			for (Figures figures : List.of(total, byVersion.computeIfAbsent(version, Figures::new), series[point])) {
				figures.add(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getDouble(7),
						buckets);
			}
		});
		long rollbacks = this.jdbc
			.sql("select count(*) from activation_log where kind in ('rollback', 'auto_rollback') and at >= ?")
			.param(java.sql.Timestamp.from(from))
			.query(Long.class)
			.single();
		long backups = this.jdbc.sql("select count(*) from brain_backup where state = 'SUCCEEDED' and finished_at >= ?")
			.param(java.sql.Timestamp.from(from))
			.query(Long.class)
			.single();
		List<MetricsWindow.VersionFigures> versions = new ArrayList<>();
		byVersion.values().forEach((figures) -> versions.add(figures.toVersion()));
		List<MetricsWindow.Point> chart = new ArrayList<>(series.length);
		for (int i = 0; i < series.length; i++) {
			Figures figures = (series[i] != null) ? series[i] : new Figures(0);
			chart.add(new MetricsWindow.Point(from.plusSeconds(i * step), figures.requests,
					ratio(figures.hits, figures.requests), figures.percentile(0.95)));
		}
		return new MetricsWindow(window, from, total.requests, total.percentile(0.5), total.percentile(0.95),
				ratio(total.hits, total.requests), ratio(total.judgedHits, total.judged), versions, rollbacks, backups,
				step, chart);
	}

	static Double ratio(long part, long whole) {
		return (whole == 0) ? null : (double) part / whole;
	}

	private static final class Figures {

		private final long version;

		private final long[] buckets = LatencyHistogram.empty();

		private long requests;

		private long hits;

		private long autoHits;

		private long judged;

		private long judgedHits;

		private double max;

		Figures(long version) {
			this.version = version;
		}

		void add(long requests, long hits, long autoHits, long judged, long judgedHits, double max, Integer[] buckets) {
			this.requests += requests;
			this.hits += hits;
			this.autoHits += autoHits;
			this.judged += judged;
			this.judgedHits += judgedHits;
			this.max = Math.max(this.max, max);
			for (int i = 0; i < Math.min(buckets.length, this.buckets.length); i++) {
				this.buckets[i] += buckets[i];
			}
		}

		Double percentile(double quantile) {
			return LatencyHistogram.percentile(this.buckets, quantile, this.max);
		}

		MetricsWindow.VersionFigures toVersion() {
			return new MetricsWindow.VersionFigures(this.version, this.requests, percentile(0.5), percentile(0.95),
					ratio(this.hits, this.requests), ratio(this.autoHits, this.requests), this.judged,
					ratio(this.judgedHits, this.judged));
		}

	}

}
