package io.brainplane.ops.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.brainplane.quality.QualityFiguresRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.event.EventListener;
import org.springframework.lang.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The {@code brain} health group (the SLA checks: {@code p95LatencyMs}, {@code hitRate},
 * {@code rollbackMs}, {@code backup}) as last evaluated in the background: every
 * {@code brain.health.refresh-interval} by the application clock, and at once when the
 * quality figures were refreshed. {@code GET /brain/health} reads only this, so a call
 * runs no query and answers while the database is away.
 */
@Component
class BrainHealthView {

	/** The group behind {@code GET /brain/health}. */
	static final String GROUP = "brain";

	/** Serving, but something is not as it should be. */
	static final Status DEGRADED = new Status("DEGRADED");

	private static final Logger log = LoggerFactory.getLogger(BrainHealthView.class);

	private final HealthEndpoint endpoint;

	private final Clock clock;

	private final HealthProperties properties;

	private volatile Snapshot last;

	BrainHealthView(HealthEndpoint endpoint, Clock clock, HealthProperties properties) {
		this.endpoint = endpoint;
		this.clock = clock;
		this.properties = properties;
	}

	/** The last evaluation, null before the first. */
	@Nullable
	Snapshot last() {
		return this.last;
	}

	@Scheduled(fixedDelay = 1, timeUnit = TimeUnit.SECONDS)
	void tick() {
		Snapshot snapshot = this.last;
		Instant now = this.clock.instant();
		// Also when the clock went back before the last evaluation.
		if (snapshot == null || now.isBefore(snapshot.checkedAt())
				|| !now.isBefore(snapshot.checkedAt().plus(this.properties.refreshInterval()))) {
			refresh();
		}
	}

	@EventListener
	void onQualityFigures(QualityFiguresRefreshed refreshed) {
		refresh();
	}

	synchronized void refresh() {
		Instant now = this.clock.instant();
		try {
			HealthComponent group = this.endpoint.healthForPath(GROUP);
			Map<String, Check> checks = new LinkedHashMap<>();
			if (group instanceof CompositeHealth composite) {
				composite.getComponents().forEach((name, component) -> checks.put(name, check(component)));
			}
			this.last = new Snapshot((group != null) ? group.getStatus() : Status.UNKNOWN, checks, now);
		}
		catch (RuntimeException ex) {
			log.warn("Health checks not evaluated: {}", ex.getClass().getSimpleName());
		}
	}

	private static Check check(HealthComponent component) {
		Map<String, Object> fields = new LinkedHashMap<>();
		if (component instanceof Health health) {
			// "unknown" is how an indicator says null (Actuator details cannot hold
			// null).
			health.getDetails().forEach((key, value) -> fields.put(key, "unknown".equals(value) ? null : value));
		}
		return new Check(component.getStatus(), fields);
	}

	/** One check: its status and details. */
	record Check(Status status, Map<String, Object> fields) {
	}

	/** The group's aggregate status, its checks, and when they were evaluated. */
	record Snapshot(Status status, Map<String, Check> checks, Instant checkedAt) {
	}

}
