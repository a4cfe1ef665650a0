package io.brainplane.index;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * What this replica knows of the brain without asking the database: the active version as
 * last read, whether the database answered, and which version the replica serves. Health
 * and readiness read this; nothing here does I/O.
 */
@Component
public class ReplicaStatus {

	private final Clock clock;

	private final ReplicaIndex replica;

	private volatile Optional<ActiveSnapshot> active = Optional.empty();

	private volatile Instant lastContact;

	private volatile boolean reachable;

	private volatile boolean synced;

	ReplicaStatus(Clock clock, ReplicaIndex replica) {
		this.clock = clock;
		this.replica = replica;
	}

	/** The active version as last read, empty when none is active. */
	public Optional<ActiveSnapshot> active() {
		return this.active;
	}

	/** The version this replica serves. */
	public Optional<VersionRef> serving() {
		return this.replica.serving();
	}

	/** Whether the last attempt to read the database succeeded. */
	public boolean databaseReachable() {
		return this.reachable;
	}

	/** When the database last answered, null before the first contact. */
	public Instant lastContact() {
		return this.lastContact;
	}

	/**
	 * Whether this replica has read the database at least once and serves a version
	 * whenever one is active: what readiness means.
	 */
	public boolean ready() {
		return this.synced && (this.active.isEmpty() || this.replica.serving().isPresent());
	}

	/** Seconds this replica has been behind the active pointer, 0 when it serves it. */
	public double lagSeconds() {
		Optional<ActiveSnapshot> current = this.active;
		if (current.isEmpty()) {
			return 0;
		}
		Optional<VersionRef> served = this.replica.serving();
		if (served.isPresent() && served.get().equals(current.get().ref())) {
			return 0;
		}
		Instant since = current.get().switchedAt() != null ? current.get().switchedAt() : this.clock.instant();
		return Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0);
	}

	public void observed(Optional<ActiveSnapshot> snapshot) {
		this.active = snapshot;
		this.lastContact = this.clock.instant();
		this.reachable = true;
		this.synced = true;
	}

	public void unreachable() {
		this.reachable = false;
	}

}
