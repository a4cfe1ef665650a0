package io.brainplane.index;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.brainplane.index.internal.ReplicaSync;
import io.brainplane.index.internal.VersionStore;
import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.FaultPoint;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves the active pointer. A switch is one transaction: lock the pointer row, retire the
 * old version, activate the new one, log the switch, {@code NOTIFY brain_active}.
 * Concurrent switches serialise on the row lock; the last to commit wins. The target is
 * opened locally before the lock is taken, so the switch itself is a reference swap on
 * this replica.
 */
@Service
public class ActivationService {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final ReplicaIndex replica;

	private final VersionService versions;

	private final List<ActivationGate> gates;

	private final ReplicaSync sync;

	ActivationService(JdbcClient jdbc, TransactionTemplate transactions, ReplicaIndex replica, VersionService versions,
			List<ActivationGate> gates, ReplicaSync sync) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.replica = replica;
		this.versions = versions;
		this.gates = gates;
		this.sync = sync;
	}

	/**
	 * Activates a {@code READY} or {@code RETIRED} version, through the activation gates
	 * unless forced.
	 */
	public Activation activate(long version, Actor actor, @Nullable String reason, boolean force) {
		IndexVersion target = this.versions.get(version);
		requireActivatable(target);
		for (ActivationGate gate : this.gates) {
			Optional<String> refusal = gate.refuse(version, force);
			if (refusal.isPresent()) {
				throw BrainProblem.conflict("activation-refused", refusal.get());
			}
		}
		return switchTo(target, ActivationKind.ACTIVATE, actor, reason);
	}

	/**
	 * Rolls back to the request's target, or without one to the version that was active
	 * before the current one.
	 */
	public Activation rollback(RollbackRequest request) {
		Long current = currentVersion().orElseThrow(() -> BrainProblem.conflict("nothing-to-roll-back",
				"no version is active, so there is nothing to roll back"));
		long target = (request.target() != null) ? request.target()
				: previousOf(current).orElseThrow(() -> BrainProblem.conflict("nothing-to-roll-back",
						"version " + current + " has no previously active version to roll back to"));
		IndexVersion version = this.versions.get(target);
		requireActivatable(version);
		return switchTo(version, request.kind(), request.actor(), request.reason());
	}

	public List<ActivationRecord> recent(int limit) {
		if (limit < 1 || limit > 1000) {
			throw BrainProblem.invalid("limit", "must be between 1 and 1000");
		}
		return this.jdbc.sql("""
				select from_version, to_version, kind, actor, reason, duration_ms, at
				from activation_log order by id desc limit ?
				""")
			.param(limit)
			.query((rs, row) -> new ActivationRecord(rs.getObject(1, Long.class), rs.getLong(2),
					ActivationKind.of(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getDouble(6),
					VersionStore.instant(rs, "at")))
			.list();
	}

	private void requireActivatable(IndexVersion version) {
		if (version.active()) {
			throw BrainProblem.conflict("already-active", "version " + version.version() + " is already active");
		}
		if (!version.state().activatable()) {
			throw BrainProblem.conflict("version-not-activatable", "version " + version.version() + " is "
					+ version.state() + "; only READY or RETIRED versions can be activated");
		}
	}

	private Activation switchTo(IndexVersion target, ActivationKind kind, Actor actor, @Nullable String reason) {
		if (reason != null && reason.length() > 1000) {
			throw BrainProblem.invalid("reason", "must be at most 1000 characters");
		}
		this.replica.open(target.ref());
		Activation activation = this.transactions.execute((status) -> {
			long started = System.nanoTime();
			Long from = currentVersionForUpdate();
			IndexVersion locked = this.versions.get(target.version());
			if (locked.active() || !locked.state().activatable()) {
				requireActivatable(locked);
			}
			if (from != null) {
				this.jdbc.sql("update brain_index set state = ? where version = ?")
					.params(VersionState.RETIRED.name(), from)
					.update();
			}
			Instant at = this.jdbc
				.sql("update brain_index set state = ?, activated_at = now() where version = ? returning activated_at")
				.params(VersionState.ACTIVE.name(), target.version())
				.query((rs, row) -> VersionStore.instant(rs, "activated_at"))
				.single();
			this.jdbc.sql("update active_pointer set version = ?, switched_at = ? where id = 1")
				.params(target.version(), Timestamp.from(at))
				.update();
			double durationMs = (System.nanoTime() - started) / 1_000_000.0;
			this.jdbc.sql("""
					insert into activation_log (from_version, to_version, kind, actor, reason, duration_ms, at)
					values (?, ?, ?, ?, ?, ?, ?)
					""")
				.params(from, target.version(), kind.value(), actor.name(), reason, durationMs, Timestamp.from(at))
				.update();
			this.jdbc.sql("select pg_notify('brain_active', ?)")
				.param(Long.toString(target.version()))
				.query()
				.singleRow();
			FaultPoint.reach("activation.before-commit");
			return new Activation(from, target.version(), kind, durationMs, at);
		});
		this.replica.serve(target.ref());
		// Settles any poll that raced with this switch, so this replica serves and
		// reports
		// the new version before the caller hears of it.
		this.sync.refresh();
		return activation;
	}

	private Optional<Long> currentVersion() {
		return this.jdbc.sql("select version from active_pointer where id = 1")
			.query((rs, row) -> rs.getObject(1, Long.class))
			.optional();
	}

	private Long currentVersionForUpdate() {
		return this.jdbc.sql("select version from active_pointer where id = 1 for update")
			.query((rs, row) -> rs.getObject(1, Long.class))
			.optional()
			.orElse(null);
	}

	private Optional<Long> previousOf(long current) {
		return this.jdbc.sql("""
				select from_version from activation_log
				where to_version = ? and from_version is not null order by id desc limit 1
				""").param(current).query(Long.class).optional();
	}

	/**
	 * The latest switch of the active pointer with its id in the activation log (for a
	 * watcher that decides once per switch), empty before the first activation.
	 */
	public Optional<LoggedActivation> latest() {
		return this.jdbc.sql("""
				select id, from_version, to_version, kind, actor, reason, duration_ms, at
				from activation_log order by id desc limit 1
				""")
			.query((rs, row) -> new LoggedActivation(rs.getLong(1),
					new ActivationRecord(rs.getObject(2, Long.class), rs.getLong(3), ActivationKind.of(rs.getString(4)),
							rs.getString(5), rs.getString(6), rs.getDouble(7), VersionStore.instant(rs, "at"))))
			.optional();
	}

	/** Rollbacks (by an operator or automatic) at or after {@code since}. */
	public long rollbacksSince(Instant since) {
		return this.jdbc.sql("select count(*) from activation_log where kind in (?, ?) and at >= ?")
			.params(ActivationKind.ROLLBACK.value(), ActivationKind.AUTO_ROLLBACK.value(), Timestamp.from(since))
			.query(Long.class)
			.single();
	}

}
