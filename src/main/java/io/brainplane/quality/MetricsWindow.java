package io.brainplane.quality;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /brain/metrics}.
 *
 * @param from start of the window (the first whole minute in it)
 * @param hitRate share of searches that were hits, feedback overriding the automatic
 * verdict; null without searches
 * @param judgedHitRate share of judged searches judged relevant; null when none was
 * judged
 * @param rollbacks rollbacks (manual and automatic) in the window
 * @param backups successful backups in the window
 * @param stepSeconds width of one point of the series: 60 (1h) or 900 (24h)
 * @param series the window point by point, oldest first, for charts; a point without
 * searches has null rates
 */
public record MetricsWindow(String window, Instant from, long requests, Double p50Ms, Double p95Ms, Double hitRate,
		Double judgedHitRate, List<VersionFigures> byVersion, long rollbacks, Long backups, long stepSeconds,
		List<Point> series) {

	/**
	 * One point of the series: the searches from {@code at} for one step.
	 */
	public record Point(Instant at, long requests, Double hitRate, Double p95Ms) {
	}

	/**
	 * The same figures for one version.
	 */
	public record VersionFigures(long version, long requests, Double p50Ms, Double p95Ms, Double hitRate,
			Double autoHitRate, long judged, Double judgedHitRate) {
	}

}
