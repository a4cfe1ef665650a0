package io.brainplane.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import io.brainplane.quality.internal.LatencyHistogram;

class LatencyHistogramTests {

	@Test
	void percentileIsTheUpperBoundOfTheBucketHoldingItsNearestRank() {
		long[] counts = LatencyHistogram.empty();
		for (double latency : new double[] { 3, 4, 40, 45, 600 }) {
			counts[LatencyHistogram.bucket(latency)]++;
		}
		assertThat(LatencyHistogram.percentile(counts, 0.5, 600)).isEqualTo(50);
		assertThat(LatencyHistogram.percentile(counts, 0.2, 600)).isEqualTo(5);
		assertThat(LatencyHistogram.percentile(counts, 0.95, 600)).as("capped by the largest latency seen")
			.isEqualTo(600);
	}

	@Test
	void latenciesAboveTheLastBoundAreReportedAsTheLargestSeen() {
		long[] counts = LatencyHistogram.empty();
		counts[LatencyHistogram.bucket(90_000)]++;
		assertThat(LatencyHistogram.bucket(90_000)).isEqualTo(LatencyHistogram.BOUNDS.length);
		assertThat(LatencyHistogram.percentile(counts, 0.95, 90_000)).isEqualTo(90_000);
	}

	@Test
	void noDataHasNoPercentile() {
		assertThat(LatencyHistogram.percentile(LatencyHistogram.empty(), 0.5, 0)).isNull();
	}

	@Test
	void aLatencyOnABoundBelongsToThatBucket() {
		assertThat(LatencyHistogram.bucket(800)).isEqualTo(LatencyHistogram.bucket(799.5));
		assertThat(LatencyHistogram.bucket(800.01)).isEqualTo(LatencyHistogram.bucket(1000));
	}

}
