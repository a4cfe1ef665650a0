package io.brainplane.quality.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.ReplicaStatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The active version's live figures over the last hour, from the {@code brain_health}
 * view, read at most every few seconds however often health is asked for (and at once
 * when the active version changes).
 */
@Component
public class LiveQuality {

	private static final Duration FRESH = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(LiveQuality.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ReplicaStatus replica;

	private volatile Snapshot last;

	LiveQuality(JdbcClient jdbc, Clock clock, ReplicaStatus replica) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.replica = replica;
	}

	/** Empty when the figures cannot be read. */
	Optional<Figures> active() {
		Snapshot snapshot = this.last;
		Instant now = this.clock.instant();
		Long active = this.replica.active().map(ActiveSnapshot::version).orElse(null);
		if (snapshot == null || snapshot.readAt.plus(FRESH).isBefore(now)
				|| !Objects.equals(active, snapshot.version)) {
			try {
				Figures figures = this.jdbc.sql("""
						select coalesce(h.requests, 0), h.p95_ms, h.hit_rate
						from active_pointer p left join brain_health h on h.version = p.version
						""")
					.query((rs, row) -> new Figures(rs.getLong(1), rs.getObject(2, Double.class),
							rs.getObject(3, Double.class)))
					.single();
				snapshot = new Snapshot(figures, now, active);
			}
			catch (RuntimeException ex) {
				log.debug("Live quality figures unavailable", ex);
				snapshot = new Snapshot(null, now, active);
			}
			this.last = snapshot;
		}
		return Optional.ofNullable(snapshot.figures);
	}

	record Figures(long requests, Double p95Ms, Double hitRate) {
	}

	private record Snapshot(Figures figures, Instant readAt, Long version) {
	}

}
