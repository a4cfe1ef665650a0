package io.brainplane.quality.internal;

import io.brainplane.quality.Figures;
import io.brainplane.quality.QualityFigures;

import org.springframework.stereotype.Component;

/**
 * {@code p95LatencyMs}: the active version's p95 search latency over the last hour
 * against {@code brain.quality.p95-objective}.
 */
@Component("p95LatencyMs")
class P95LatencyHealthIndicator extends QualityHealthIndicator {

	P95LatencyHealthIndicator(QualityFigures figures, QualityProperties properties) {
		super(figures, properties);
	}

	@Override
	Double value(Figures figures) {
		return figures.p95Ms();
	}

	@Override
	Number target(QualityProperties properties) {
		return properties.p95Objective().toMillis();
	}

	@Override
	boolean meets(double value, double target) {
		return value <= target;
	}

}
