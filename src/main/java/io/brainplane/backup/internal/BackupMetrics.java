package io.brainplane.backup.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * {@code brain.backup.*}. The gauges (last success time and size, last drill time and
 * RTO) read the bookkeeping table, so every replica reports the same values whichever
 * replica ran the backup; the duration timer and the failure counter count what this
 * replica ran.
 */
@Component
public class BackupMetrics {

	private final Timer duration;

	private final Counter failures;

	BackupMetrics(MeterRegistry registry, BackupStore store) {
		TimeGauge
			.builder("brain.backup.last.success", store, TimeUnit.SECONDS,
					(s) -> read(s::lastSuccess, (b) -> seconds(b.finishedAt())))
			.description("When the last backup succeeded (seconds since the epoch)")
			.register(registry);
		Gauge.builder("brain.backup.size", store, (s) -> read(s::lastSuccess, (b) -> number(b.sizeBytes())))
			.baseUnit("bytes")
			.description("Size of the last successful backup")
			.register(registry);
		TimeGauge
			.builder("brain.backup.drill.last", store, TimeUnit.SECONDS,
					(s) -> read(s::lastDrill, (b) -> seconds(b.drilledAt())))
			.description("When the last restore drill ran (seconds since the epoch)")
			.register(registry);
		TimeGauge
			.builder("brain.backup.drill.rto", store, TimeUnit.SECONDS,
					(s) -> read(s::lastDrill, (b) -> number(b.rtoSeconds())))
			.description("How long the last restore drill took")
			.register(registry);
		this.duration = Timer.builder("brain.backup.duration")
			.description("How long a backup took, written and verified")
			.register(registry);
		this.failures = Counter.builder("brain.backup.failures").description("Backups that failed").register(registry);
	}

	void succeeded(Duration took) {
		this.duration.record(took);
	}

	void failed() {
		this.failures.increment();
	}

	private static double read(java.util.function.Supplier<Optional<Backup>> query, Function<Backup, Double> value) {
		try {
			return query.get().map(value).orElse(Double.NaN);
		}
		catch (RuntimeException ex) {
			return Double.NaN;
		}
	}

	private static double seconds(Instant at) {
		return (at != null) ? at.toEpochMilli() / 1000.0 : Double.NaN;
	}

	private static double number(Number value) {
		return (value != null) ? value.doubleValue() : Double.NaN;
	}

}
