package io.brainplane.quality.internal;

import java.util.Map;

import io.brainplane.ops.HealthCheck;

import org.springframework.stereotype.Component;

/**
 * {@code hitRate}: the active version's hit rate over the last hour (feedback overriding
 * the automatic verdict) against {@code brain.quality.hit-rate-objective}; not judged
 * before {@code brain.quality.health-min-queries} searches.
 */
@Component
public class HitRateCheck implements HealthCheck {

	private final LiveQuality live;

	private final QualityProperties properties;

	HitRateCheck(LiveQuality live, QualityProperties properties) {
		this.live = live;
		this.properties = properties;
	}

	@Override
	public String name() {
		return "hitRate";
	}

	@Override
	public Map<String, Object> evaluate() {
		double target = this.properties.hitRateObjective();
		return this.live.active()
			.filter((figures) -> figures.hitRate() != null)
			.map((figures) -> HealthCheck.result(figures.hitRate(), target,
					(figures.requests() >= this.properties.healthMinQueries()) ? figures.hitRate() >= target : null))
			.orElseGet(() -> HealthCheck.result(null, target, null));
	}

}
