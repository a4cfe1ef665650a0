package io.brainplane.index.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.brainplane.index.ReplicaStatus;
import io.brainplane.index.VersionRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Each replica writes what it serves to {@code replica_heartbeat} every 5 seconds (one
 * small upsert; a failed write is only logged, the next one repairs it), and
 * {@code GET /brain/replicas} lists the replicas seen in the last 2 minutes. Rows of
 * replicas gone for a day are removed.
 */
@RestController
class ReplicaHeartbeat {

	private static final Logger log = LoggerFactory.getLogger(ReplicaHeartbeat.class);

	static final Duration RECENT = Duration.ofMinutes(2);

	private final JdbcClient jdbc;

	private final ReplicaStatus status;

	private final Clock clock;

	private final String id;

	private final String host;

	private final Instant startedAt;

	ReplicaHeartbeat(JdbcClient jdbc, ReplicaStatus status, Clock clock) {
		this.jdbc = jdbc;
		this.status = status;
		this.clock = clock;
		this.host = hostName();
		this.id = this.host + "/" + UUID.randomUUID().toString().substring(0, 8);
		this.startedAt = clock.instant();
	}

	private static String hostName() {
		String pod = System.getenv("HOSTNAME");
		if (pod != null && !pod.isBlank()) {
			return pod;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host";
		}
	}

	@Scheduled(initialDelay = 1000, fixedDelay = 5000)
	void beat() {
		Instant now = this.clock.instant();
		try {
			this.jdbc.sql("""
					insert into replica_heartbeat (replica_id, host, serving_version, lag_seconds, database_reachable,
					                               started_at, seen_at)
					values (?, ?, ?, ?, ?, ?, ?)
					on conflict (replica_id) do update set serving_version = excluded.serving_version,
					    lag_seconds = excluded.lag_seconds, database_reachable = excluded.database_reachable,
					    seen_at = excluded.seen_at
					""")
				.params(this.id, this.host, this.status.serving().map(VersionRef::version).orElse(null),
						this.status.lagSeconds(), this.status.databaseReachable(), Timestamp.from(this.startedAt),
						Timestamp.from(now))
				.update();
			this.jdbc.sql("delete from replica_heartbeat where seen_at < ?")
				.param(Timestamp.from(now.minus(Duration.ofDays(1))))
				.update();
		}
		catch (DataAccessException ex) {
			log.debug("Could not write the replica heartbeat: {}", ex.getMessage());
		}
	}

	@GetMapping("/brain/replicas")
	Replicas replicas() {
		Instant now = this.clock.instant();
		List<Replica> replicas = this.jdbc.sql("""
				select replica_id, host, serving_version, lag_seconds, database_reachable, started_at, seen_at
				from replica_heartbeat where seen_at >= ? order by host, replica_id
				""").param(Timestamp.from(now.minus(RECENT))).query((rs, row) -> {
			String id = rs.getString(1);
			boolean self = id.equals(this.id);
			return new Replica(id, rs.getString(2), self, rs.getObject(3, Long.class), rs.getDouble(4),
					rs.getBoolean(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant());
		}).list();
		return new Replicas(replicas);
	}

	/** The body of {@code GET /brain/replicas}. */
	record Replicas(List<Replica> replicas) {
	}

	/**
	 * One replica as it last reported.
	 *
	 * @param self whether this is the replica that answered
	 */
	record Replica(String id, String host, boolean self, Long servingVersion, double lagSeconds,
			boolean databaseReachable, Instant startedAt, Instant seenAt) {
	}

}
