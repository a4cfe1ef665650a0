package io.brainplane.ops.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.brainplane.index.ActivationService;
import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.ReplicaStatus;
import io.brainplane.platform.BackupHistory;
import io.brainplane.quality.Figures;
import io.brainplane.quality.QualityFigures;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Builds a pulse's summary: the active version and its freshness, and since the previous
 * pulse the searches, their hit rate (feedback over the automatic verdict) and p95
 * latency from {@link QualityFigures} (the same figures as {@code /brain/metrics}), the
 * rollbacks from the index module and the successful backups from the backup module. A
 * figure that cannot be read (database down) is {@code null}, so a pulse still goes out.
 */
@Component
public class PulseSummarizer {

	private static final Duration FIRST_PERIOD = Duration.ofHours(24);

	private final ReplicaStatus replica;

	private final ActivationService activations;

	private final QualityFigures figures;

	private final ObjectProvider<BackupHistory> backups;

	private final Clock clock;

	PulseSummarizer(ReplicaStatus replica, ActivationService activations, QualityFigures figures,
			ObjectProvider<BackupHistory> backups, Clock clock) {
		this.replica = replica;
		this.activations = activations;
		this.figures = figures;
		this.backups = backups;
		this.clock = clock;
	}

	public PulseSummary summarize(String kind, Instant previous) {
		Instant now = this.clock.instant();
		Instant since = (previous != null) ? previous : now.minus(FIRST_PERIOD);
		ActiveSnapshot active = this.replica.active().orElse(null);
		Double freshness = this.figures.freshnessSeconds();
		Figures period = orNull(() -> this.figures.since(since));
		Long searches = (period != null) ? period.requests() : null;
		Double hitRate = (period != null) ? period.hitRate() : null;
		Double p95 = (period != null) ? period.p95Ms() : null;
		Long rollbacks = orNull(() -> this.activations.rollbacksSince(since));
		BackupHistory history = this.backups.getIfAvailable();
		Long backups = (history != null) ? orNull(() -> history.succeededSince(since)) : null;
		Long version = (active != null) ? active.version() : null;
		String label = (active != null) ? active.label() : null;
		String text = PulseSummary.render(kind, version, label, freshness, hitRate, p95, searches, rollbacks, backups);
		return new PulseSummary(since, version, label, freshness, hitRate, p95, searches, rollbacks, backups, text);
	}

	private static <T> T orNull(Supplier<T> figure) {
		try {
			return figure.get();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
