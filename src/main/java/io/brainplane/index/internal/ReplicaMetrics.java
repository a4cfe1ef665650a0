package io.brainplane.index.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.ReplicaStatus;

/**
 * Gauges of what this replica knows about the active version, read from
 * {@link ReplicaStatus} at scrape time: {@code brain_active_version} (0 when none is
 * active), {@code brain_index_freshness_seconds}, {@code brain_active_documents},
 * {@code brain_active_chunks}, {@code brain_replica_lag_seconds} and
 * {@code brain_replica_ready}. No labels: one series per replica.
 */
@Component
public class ReplicaMetrics implements MeterBinder {

	private final ReplicaStatus status;

	private final Clock clock;

	ReplicaMetrics(ReplicaStatus status, Clock clock) {
		this.status = status;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("brain.active.version", this, (m) -> m.active().map(ActiveSnapshot::version).orElse(0L))
			.description("The active index version as this replica last read it (0 when none is active)")
			.register(registry);
		Gauge.builder("brain.index.freshness", this, ReplicaMetrics::freshnessSeconds)
			.baseUnit("seconds")
			.description("Age of the active version's content: seconds since it was sealed")
			.register(registry);
		Gauge.builder("brain.active.documents", this, (m) -> m.active().map(ActiveSnapshot::documents).orElse(0))
			.description("Documents in the active version")
			.register(registry);
		Gauge.builder("brain.active.chunks", this, (m) -> m.active().map(ActiveSnapshot::chunks).orElse(0L))
			.description("Chunks in the active version")
			.register(registry);
		Gauge.builder("brain.replica.lag", this.status, ReplicaStatus::lagSeconds)
			.baseUnit("seconds")
			.description("How long this replica has been behind the active pointer (0 when it serves it)")
			.register(registry);
		Gauge.builder("brain.replica.ready", this.status, (s) -> s.ready() ? 1 : 0)
			.description("1 when this replica is ready (database reached, active version open locally)")
			.register(registry);
	}

	private Optional<ActiveSnapshot> active() {
		return this.status.active();
	}

	private double freshnessSeconds() {
		return active().filter((snapshot) -> snapshot.sealedAt() != null)
			.map((snapshot) -> Duration.between(snapshot.sealedAt(), this.clock.instant()).toMillis() / 1000.0)
			.orElse(Double.NaN);
	}

}
