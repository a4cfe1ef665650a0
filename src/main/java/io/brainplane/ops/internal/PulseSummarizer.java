package io.brainplane.ops.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.brainplane.index.ActivationService;
import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.ReplicaStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Builds a pulse's summary from what this replica knows: the active version and its
 * freshness, search latency from the {@code brain.search.latency} histogram, and
 * rollbacks from the activation log, the judged hit rate (feedback over the automatic
 * verdict) from {@code rag_hits} and successful backups from {@code brain_backup} since
 * the previous pulse. A figure that cannot be read (database down) is {@code null}, so a
 * pulse still goes out.
 */
@Component
public class PulseSummarizer {

	private static final Duration FIRST_PERIOD = Duration.ofHours(24);

	private final ReplicaStatus replica;

	private final ActivationService activations;

	private final MeterRegistry registry;

	private final Clock clock;

	private final JdbcClient jdbc;

	PulseSummarizer(ReplicaStatus replica, ActivationService activations, MeterRegistry registry, Clock clock,
			JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.replica = replica;
		this.activations = activations;
		this.registry = registry;
		this.clock = clock;
	}

	public PulseSummary summarize(String kind, Instant previous) {
		Instant now = this.clock.instant();
		Instant since = (previous != null) ? previous : now.minus(FIRST_PERIOD);
		ActiveSnapshot active = this.replica.active().orElse(null);
		Double freshness = (active != null && active.sealedAt() != null)
				? Duration.between(active.sealedAt(), now).toMillis() / 1000.0 : null;
		Timer latency = this.registry.find("brain.search.latency").timer();
		long searches = (latency != null) ? latency.count() : 0;
		Double p95 = (latency != null) ? p95Ms(latency.takeSnapshot()) : null;
		int rollbacks = (int) this.activations.recent(1000)
			.stream()
			.filter((record) -> record.at() != null && record.at().isAfter(since))
			.filter((record) -> record.kind().rollback())
			.count();
		Long version = (active != null) ? active.version() : null;
		String label = (active != null) ? active.label() : null;
		Double hitRate = hitRateSince(since);
		Integer backups = backupsSince(since);
		String text = PulseSummary.render(kind, version, label, freshness, hitRate, p95, searches, rollbacks, backups);
		return new PulseSummary(since, version, label, freshness, hitRate, p95, searches, rollbacks, backups, text);
	}

	private Double hitRateSince(Instant since) {
		try {
			return this.jdbc
				.sql("select avg(case when coalesce(feedback, hit) then 1.0 else 0.0 end) from rag_hits where at > ?")
				.param(Timestamp.from(since))
				.query(Double.class)
				.optional()
				.orElse(null);
		}
		catch (DataAccessException ex) {
			return null;
		}
	}

	private Integer backupsSince(Instant since) {
		try {
			return this.jdbc.sql("select count(*) from brain_backup where state = 'SUCCEEDED' and finished_at > ?")
				.param(Timestamp.from(since))
				.query(Integer.class)
				.single();
		}
		catch (DataAccessException ex) {
			return null;
		}
	}

	/**
	 * Upper bound of the histogram bucket holding the 95th percentile, null without
	 * searches.
	 */
	static Double p95Ms(HistogramSnapshot snapshot) {
		if (snapshot.count() == 0) {
			return null;
		}
		double target = snapshot.count() * 0.95;
		for (CountAtBucket bucket : snapshot.histogramCounts()) {
			if (bucket.count() >= target) {
				return bucket.bucket(TimeUnit.MILLISECONDS);
			}
		}
		return snapshot.max(TimeUnit.MILLISECONDS);
	}

}
