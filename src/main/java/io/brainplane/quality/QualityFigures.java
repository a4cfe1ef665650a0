package io.brainplane.quality;

import java.time.Instant;
import java.util.Optional;

import org.springframework.lang.Nullable;

/**
 * Hit rate, latency percentiles and freshness, computed one way for every reader:
 * {@code GET /brain/metrics}, {@code GET /brain/health} (its checks), pulses and the
 * automatic rollback. Figures come from the per-minute rollups of the search records
 * ({@code brain_metrics}), brought up to date first; a window holds whole minutes, from
 * the one containing its start. See docs/metrics.md.
 */
public interface QualityFigures {

	/** Every version's searches from the minute holding {@code from} up to now. */
	Figures since(Instant from);

	/**
	 * One version's searches from the minute holding {@code from} up to the minute
	 * holding {@code to} (inclusive), or up to now without it.
	 */
	Figures ofVersion(long version, Instant from, @Nullable Instant to);

	/**
	 * The active version's figures over the last hour, from memory: refreshed in the
	 * background every {@code brain.quality.refresh-interval} and when the active version
	 * changes. Empty before the first refresh.
	 */
	Optional<LiveFigures> live();

	/**
	 * Age of the active version's content: seconds since it was sealed; null when none is
	 * active. From memory.
	 */
	@Nullable
	Double freshnessSeconds();

}
