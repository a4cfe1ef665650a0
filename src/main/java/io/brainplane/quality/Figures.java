package io.brainplane.quality;

import java.time.Instant;

import org.springframework.lang.Nullable;

/**
 * Quality figures of the searches in a window, as {@link QualityFigures} computes them
 * for every reader.
 *
 * @param from start of the window: the first whole minute in it
 * @param requests recorded searches
 * @param hitRate share of the searches that were hits, feedback overriding the automatic
 * verdict; null without searches
 * @param p50Ms median search latency (see {@link #p95Ms})
 * @param p95Ms 95th percentile search latency: the upper bound of the rollup bucket
 * holding the nearest rank, capped by the largest latency seen; null without searches
 */
public record Figures(Instant from, long requests, @Nullable Double hitRate, @Nullable Double p50Ms,
		@Nullable Double p95Ms) {

	/** A window without searches. */
	public static Figures none(Instant from) {
		return new Figures(from, 0, null, null, null);
	}

}
