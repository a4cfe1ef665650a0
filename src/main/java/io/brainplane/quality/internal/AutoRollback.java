package io.brainplane.quality.internal;

import io.brainplane.platform.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import io.brainplane.index.Activation;
import io.brainplane.index.ActivationService;
import io.brainplane.index.RollbackRequest;
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
 * searches, compares its live hit rate and p95 latency (since the activation) with the
 * objectives, and with the previous version's figures over the baseline window before the
 * activation. If the new version breaks an objective the previous one met, it rolls back
 * to the previous version; either way the decision is recorded once per activation. Each
 * check runs in one transaction holding a transaction-scoped advisory lock, so only one
 * replica decides.
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

	AutoRollback(JdbcClient jdbc, TransactionTemplate transactions, ActivationService activations,
			QualityProperties properties, ApplicationEventPublisher events) {
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
		return this.jdbc.sql("""
				select l.id, l.from_version, l.to_version, l.at from activation_log l
				where l.id = (select max(id) from activation_log) and l.kind = 'activate'
				  and l.from_version is not null
				  and not exists (select 1 from auto_rollback_decision d where d.activation_id = l.id)
				""")
			.query((rs, row) -> new Watched(rs.getLong(1), rs.getLong(2), rs.getLong(3),
					rs.getObject(4, OffsetDateTime.class).toInstant()))
			.optional();
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
	 * The version's figures over searches at or after {@code from} and before {@code to}.
	 */
	private Live live(long version, Instant from, @Nullable Instant to) {
		return this.jdbc.sql("""
				select count(*), coalesce(avg(case when coalesce(feedback, hit) then 1.0 else 0.0 end), 0),
				       coalesce(percentile_disc(0.95) within group (order by latency_ms), 0)
				from rag_hits where version = ? and at >= ? and (?::timestamptz is null or at < ?)
				""")
			.params(version, Timestamp.from(from), timestamp(to), timestamp(to))
			.query((rs, row) -> new Live(rs.getLong(1), rs.getDouble(2), rs.getDouble(3)))
			.single();
	}

	private static Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private record Watched(long id, long from, long to, Instant at) {
	}

	private record Live(long requests, double hitRate, double p95Ms) {
	}

}
