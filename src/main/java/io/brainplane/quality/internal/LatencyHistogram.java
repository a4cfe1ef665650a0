package io.brainplane.quality.internal;

/**
 * Fixed latency buckets of the per-minute rollups, so that percentiles over any window
 * are answered by adding bucket counts. A percentile is the upper bound of the bucket
 * holding its nearest rank (capped by the largest latency seen), so it is never below the
 * true value and at most one bucket above it.
 */
public final class LatencyHistogram {

	/** Upper bounds in milliseconds; one more bucket counts everything above the last. */
	public static final double[] BOUNDS = { 1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 800, 1000, 1500, 2000,
			3000, 5000, 10000, 30000, 60000 };

	private LatencyHistogram() {
	}

	public static int bucket(double latencyMs) {
		for (int i = 0; i < BOUNDS.length; i++) {
			if (latencyMs <= BOUNDS[i]) {
				return i;
			}
		}
		return BOUNDS.length;
	}

	public static long[] empty() {
		return new long[BOUNDS.length + 1];
	}

	/**
	 * @param quantile between 0 and 1, e.g. 0.95
	 * @return the percentile in milliseconds, null without data
	 */
	public static Double percentile(long[] counts, double quantile, double maxMs) {
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		if (total == 0) {
			return null;
		}
		long rank = Math.max(1, (long) Math.ceil(quantile * total));
		long seen = 0;
		for (int i = 0; i < counts.length; i++) {
			seen += counts[i];
			if (seen >= rank) {
				return (i < BOUNDS.length) ? Math.min(BOUNDS[i], maxMs) : maxMs;
			}
		}
		return maxMs;
	}

}
