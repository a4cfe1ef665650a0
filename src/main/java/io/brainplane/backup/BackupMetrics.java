package io.brainplane.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * {@code brain.backup.*}: last success time, duration, size, failures, last drill time
 * and RTO, as seen by this replica (the replica that runs a backup reports it).
 */
@Component
class BackupMetrics {

	private final AtomicReference<State> state = new AtomicReference<>(
			new State(Double.NaN, Double.NaN, Double.NaN, Double.NaN));

	private final Timer duration;

	private final Counter failures;

	BackupMetrics(MeterRegistry registry) {
		TimeGauge.builder("brain.backup.last.success", this.state, TimeUnit.SECONDS, (s) -> s.get().lastSuccess())
			.description("When the last backup succeeded (seconds since the epoch)")
			.register(registry);
		Gauge.builder("brain.backup.size", this.state, (s) -> s.get().size())
			.baseUnit("bytes")
			.description("Size of the last successful backup")
			.register(registry);
		TimeGauge.builder("brain.backup.drill.last", this.state, TimeUnit.SECONDS, (s) -> s.get().lastDrill())
			.description("When the last restore drill ran (seconds since the epoch)")
			.register(registry);
		TimeGauge.builder("brain.backup.drill.rto", this.state, TimeUnit.SECONDS, (s) -> s.get().rto())
			.description("How long the last restore drill took")
			.register(registry);
		this.duration = Timer.builder("brain.backup.duration")
			.description("How long writing a backup took")
			.register(registry);
		this.failures = Counter.builder("brain.backup.failures").description("Backups that failed").register(registry);
	}

	void succeeded(Instant at, Duration took, long sizeBytes) {
		this.duration.record(took);
		this.state.updateAndGet((s) -> new State(at.toEpochMilli() / 1000.0, sizeBytes, s.lastDrill(), s.rto()));
	}

	void failed() {
		this.failures.increment();
	}

	void drilled(Instant at, double rtoSeconds) {
		this.state.updateAndGet((s) -> new State(s.lastSuccess(), s.size(), at.toEpochMilli() / 1000.0, rtoSeconds));
	}

	private record State(double lastSuccess, double size, double lastDrill, double rto) {
	}

}
