package io.brainplane.quality.internal;

import io.brainplane.platform.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.brainplane.index.Activation;
import io.brainplane.index.ActivationKind;
import io.brainplane.index.ActivationService;
import io.brainplane.index.RollbackRequest;
import io.brainplane.quality.Figures;
import io.brainplane.quality.QualityFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Watches the latest activation: once the new version has answered {@code min-queries}
 * searches, compares its live hit rate and p95 latency (since the activation, from
 * {@link QualityFigures} like every other reader) with the objectives, and with the
 * previous version's figures over the baseline window before the activation. If the new
 * version breaks an objective the previous one met, it rolls back to the previous
 * version; either way the decision is recorded once per activation. Each check runs in
 * one transaction holding a transaction-scoped advisory lock, so only one replica
 * decides.
 */
@Component
@ConditionalOnProperty(name = "brain.quality.auto-rollback.enabled", havingValue = "true")
public class AutoRollback {

	private static final Logger log = LoggerFactory.getLogger(AutoRollback.class);

	/** Advisory lock key: "brainAR" in ASCII. */
	private static final long LOCK = 0x627261696e4152L;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final ActivationService activations;

	private final QualityProperties properties;

	private final ApplicationEventPublisher events;

	private final QualityFigures figures;

	AutoRollback(JdbcClient jdbc, TransactionTemplate transactions, ActivationService activations,
			QualityProperties properties, ApplicationEventPublisher events, QualityFigures figures) {
		this.figures = figures;
		this.events = events;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.activations = activations;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${brain.quality.auto-rollback.check-interval:5s}", initialDelayString = "1s")
	void scheduled() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			log.warn("Auto-rollback check failed: {}", ex.getClass().getSimpleName());
		}
	}

	/**
	 * @return the rollback made, if any
	 */
	Optional<Activation> check() {
		Optional<Activation> rollback = this.transactions.execute((status) -> {
			if (!this.jdbc.sql("select pg_try_advisory_xact_lock(?)").param(LOCK).query(Boolean.class).single()) {
				return Optional.<Activation>empty();
			}
			return latestUndecidedActivation().flatMap(this::decide);
		});
		// After the commit: the trail records only a rollback that happened.
		rollback.ifPresent((made) -> this.events.publishEvent(AuditEvent.system("rollback", "version=" + made.to(),
				"auto-rollback from version " + made.from() + " (see the activation log)")));
		return rollback;
	}

	private Optional<Watched> latestUndecidedActivation() {
		return this.activations.latest()
			.filter((logged) -> logged.activation().kind() == ActivationKind.ACTIVATE)
			.filter((logged) -> logged.activation().from() != null)
			.filter((logged) -> !this.jdbc
				.sql("select exists (select 1 from auto_rollback_decision where activation_id = ?)")
				.param(logged.id())
				.query(Boolean.class)
				.single())
			.map((logged) -> new Watched(logged.id(), logged.activation().from(), logged.activation().to(),
					logged.activation().at()));
	}

	private Optional<Activation> decide(Watched watched) {
		Live current = live(watched.to(), watched.at(), null);
		if (current.requests() < this.properties.autoRollback().minQueries()) {
			return Optional.empty();
		}
		Live previous = live(watched.from(), watched.at().minus(this.properties.autoRollback().baselineWindow()),
				watched.at());
		double hitObjective = this.properties.hitRateObjective();
		double p95Objective = this.properties.p95Objective().toMillis();
		boolean hitBroken = current.hitRate() < hitObjective && previous.requests() > 0
				&& previous.hitRate() >= hitObjective;
		boolean latencyBroken = current.p95Ms() > p95Objective && previous.requests() > 0
				&& previous.p95Ms() <= p95Objective;
		String reason = String.format(Locale.ROOT,
				"version %d over %d searches: hit rate %.3f (objective %.2f), p95 %.1f ms (objective %.0f ms); "
						+ "version %d before it over %d searches: hit rate %.3f, p95 %.1f ms",
				watched.to(), current.requests(), current.hitRate(), hitObjective, current.p95Ms(), p95Objective,
				watched.from(), previous.requests(), previous.hitRate(), previous.p95Ms());
		boolean rollBack = hitBroken || latencyBroken;
		this.jdbc
			.sql("insert into auto_rollback_decision (activation_id, version, rolled_back, reason) values (?, ?, ?, ?)")
			.params(watched.id(), watched.to(), rollBack, reason)
			.update();
		if (!rollBack) {
			log.info("Auto-rollback: keeping version {}: {}", watched.to(), reason);
			return Optional.empty();
		}
		log.warn("Auto-rollback: rolling back version {} to {}: {}", watched.to(), watched.from(), reason);
		return Optional
			.of(this.activations.rollback(RollbackRequest.automatic(watched.from(), "auto-rollback: " + reason)));
	}

	/**
	 * The version's figures from the minute holding {@code from} to the one holding
	 * {@code to} (or now), as every other reader sees them.
	 */
	private Live live(long version, Instant from, @Nullable Instant to) {
		Figures figures = this.figures.ofVersion(version, from, to);
		return new Live(figures.requests(), (figures.hitRate() != null) ? figures.hitRate() : 0,
				(figures.p95Ms() != null) ? figures.p95Ms() : 0);
	}

	private record Watched(long id, long from, long to, Instant at) {
	}

	private record Live(long requests, double hitRate, double p95Ms) {
	}

}
