package io.brainplane.quality.internal;

import io.brainplane.quality.Figures;
import io.brainplane.quality.QualityFigures;

import org.springframework.stereotype.Component;

/**
 * {@code hitRate}: the active version's hit rate over the last hour (feedback overriding
 * the automatic verdict) against {@code brain.quality.hit-rate-objective}.
 */
@Component("hitRate")
class HitRateHealthIndicator extends QualityHealthIndicator {

	HitRateHealthIndicator(QualityFigures figures, QualityProperties properties) {
		super(figures, properties);
	}

	@Override
	Double value(Figures figures) {
		return figures.hitRate();
	}

	@Override
	Number target(QualityProperties properties) {
		return properties.hitRateObjective();
	}

	@Override
	boolean meets(double value, double target) {
		return value >= target;
	}

}
