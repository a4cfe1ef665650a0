package io.brainplane.quality.internal;

import java.time.Instant;
import java.util.Arrays;

import io.brainplane.quality.Figures;

import org.springframework.lang.Nullable;

/**
 * Adds up search records ({@link MetricsRollup}, into one minute's rollup) or per-minute
 * rollups: the one computation behind every quality figure (see {@link RollupFigures}).
 */
final class Tally {

	private final long version;

	private final long[] buckets = LatencyHistogram.empty();

	private long requests;

	private long hits;

	private long autoHits;

	private long judged;

	private long judgedHits;

	private double max;

	private double sum;

	Tally(long version) {
		this.version = version;
	}

	/** Counts one search record: a hit unless its feedback says otherwise. */
	void add(double latencyMs, boolean automaticHit, @Nullable Boolean feedback) {
		this.requests++;
		this.autoHits += automaticHit ? 1 : 0;
		this.hits += ((feedback != null) ? feedback : automaticHit) ? 1 : 0;
		if (feedback != null) {
			this.judged++;
			this.judgedHits += feedback ? 1 : 0;
		}
		this.sum += latencyMs;
		this.max = Math.max(this.max, latencyMs);
		this.buckets[LatencyHistogram.bucket(latencyMs)]++;
	}

	void add(RollupFigures.Row row) {
		this.requests += row.requests();
		this.hits += row.hits();
		this.autoHits += row.autoHits();
		this.judged += row.judged();
		this.judgedHits += row.judgedHits();
		this.max = Math.max(this.max, row.maxMs());
		Integer[] counts = row.buckets();
		for (int i = 0; i < Math.min(counts.length, this.buckets.length); i++) {
			this.buckets[i] += counts[i];
		}
	}

	long requests() {
		return this.requests;
	}

	long hits() {
		return this.hits;
	}

	long autoHits() {
		return this.autoHits;
	}

	long judged() {
		return this.judged;
	}

	long judgedHits() {
		return this.judgedHits;
	}

	/** Sum of the latencies of the records added one by one (rollups carry no sum). */
	double latencySum() {
		return this.sum;
	}

	double latencyMax() {
		return this.max;
	}

	/** The latency histogram as a PostgreSQL integer array literal. */
	String bucketsLiteral() {
		return Arrays.toString(this.buckets).replace('[', '{').replace(']', '}');
	}

	Double hitRate() {
		return ratio(this.hits, this.requests);
	}

	Double percentile(double quantile) {
		return LatencyHistogram.percentile(this.buckets, quantile, this.max);
	}

	Figures figures(Instant from) {
		return new Figures(from, this.requests, hitRate(), percentile(0.5), percentile(0.95));
	}

	MetricsWindow.VersionFigures toVersion() {
		return new MetricsWindow.VersionFigures(this.version, this.requests, percentile(0.5), percentile(0.95),
				hitRate(), ratio(this.autoHits, this.requests), this.judged, ratio(this.judgedHits, this.judged));
	}

	Double judgedHitRate() {
		return ratio(this.judgedHits, this.judged);
	}

	static Double ratio(long part, long whole) {
		return (whole == 0) ? null : (double) part / whole;
	}

}
