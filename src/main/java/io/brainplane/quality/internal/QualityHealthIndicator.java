package io.brainplane.quality.internal;

import java.util.function.Function;

import io.brainplane.quality.Figures;
import io.brainplane.quality.LiveFigures;
import io.brainplane.quality.QualityFigures;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * One quality objective of the active version as an Actuator health indicator, from the
 * live figures in memory (no query): {@code DEGRADED} when the figure misses its target
 * after at least {@code brain.quality.health-min-queries} searches in the last hour,
 * {@code UP} otherwise. Details: {@code value}, {@code target}, {@code ok} (unknown
 * before enough searches), {@code requests}, {@code refreshedAt}. In the {@code brain}
 * group behind {@code GET /brain/health}, in no probe group.
 */
abstract class QualityHealthIndicator extends AbstractHealthIndicator {

	/** The status of a quality objective that is missed. */
	static final Status DEGRADED = new Status("DEGRADED", "a quality objective is missed");

	private final QualityFigures figures;

	private final QualityProperties properties;

	QualityHealthIndicator(QualityFigures figures, QualityProperties properties) {
		this.figures = figures;
		this.properties = properties;
	}

	/** The figure judged, null when not known. */
	abstract Double value(Figures figures);

	abstract Number target(QualityProperties properties);

	abstract boolean meets(double value, double target);

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Number target = target(this.properties);
		LiveFigures live = this.figures.live().orElse(null);
		Figures lastHour = (live != null) ? live.lastHour() : null;
		Double value = (lastHour != null) ? value(lastHour) : null;
		Boolean ok = (value != null && lastHour.requests() >= this.properties.healthMinQueries())
				? meets(value, target.doubleValue()) : null;
		builder.status(Boolean.FALSE.equals(ok) ? DEGRADED : Status.UP)
			.withDetail("value", orUnknown(value, Function.identity()))
			.withDetail("target", target)
			.withDetail("ok", orUnknown(ok, Function.identity()))
			.withDetail("requests", (lastHour != null) ? lastHour.requests() : 0)
			.withDetail("refreshedAt", orUnknown(live, LiveFigures::refreshedAt));
	}

	private static <T> Object orUnknown(T value, Function<T, Object> detail) {
		return (value != null) ? detail.apply(value) : "unknown";
	}

}
