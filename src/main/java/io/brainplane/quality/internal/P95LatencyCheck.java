package io.brainplane.quality.internal;

import java.util.Map;

import io.brainplane.ops.HealthCheck;

import org.springframework.stereotype.Component;

/**
 * {@code p95LatencyMs}: the active version's p95 search latency over the last hour
 * against {@code brain.quality.p95-objective}; not judged before
 * {@code brain.quality.health-min-queries} searches.
 */
@Component
public class P95LatencyCheck implements HealthCheck {

	private final LiveQuality live;

	private final QualityProperties properties;

	P95LatencyCheck(LiveQuality live, QualityProperties properties) {
		this.live = live;
		this.properties = properties;
	}

	@Override
	public String name() {
		return "p95LatencyMs";
	}

	@Override
	public Map<String, Object> evaluate() {
		long target = this.properties.p95Objective().toMillis();
		return this.live.active()
			.filter((figures) -> figures.p95Ms() != null)
			.map((figures) -> HealthCheck.result(figures.p95Ms(), target,
					(figures.requests() >= this.properties.healthMinQueries()) ? figures.p95Ms() <= target : null))
			.orElseGet(() -> HealthCheck.result(null, target, null));
	}

}
