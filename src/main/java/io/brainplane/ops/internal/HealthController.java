package io.brainplane.ops.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.ReplicaStatus;
import io.brainplane.index.VersionRef;
import io.brainplane.ops.HealthCheck;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/health}: public, 200 while this replica serves a version, 503
 * otherwise. UP when everything is in order; DEGRADED when serving but the database is
 * unreachable, the replica lags behind the pointer or a check fails; DOWN when nothing is
 * served.
 */
@RestController
public class HealthController {

	private final ReplicaStatus replica;

	private final List<HealthCheck> checks;

	private final Clock clock;

	HealthController(ReplicaStatus replica, List<HealthCheck> checks, Clock clock) {
		this.replica = replica;
		this.checks = checks;
		this.clock = clock;
	}

	@GetMapping("/brain/health")
	ResponseEntity<BrainHealth> health() {
		Optional<ActiveSnapshot> active = this.replica.active();
		Optional<VersionRef> serving = this.replica.serving();
		Map<String, Map<String, Object>> results = new LinkedHashMap<>();
		this.checks.forEach((check) -> results.put(check.name(), check.evaluate()));
		boolean failing = results.values().stream().anyMatch((fields) -> Boolean.FALSE.equals(fields.get("ok")));
		double lag = this.replica.lagSeconds();
		String status;
		if (active.isEmpty() || serving.isEmpty()) {
			status = "DOWN";
		}
		else if (!this.replica.databaseReachable() || lag > 0 || failing) {
			status = "DEGRADED";
		}
		else {
			status = "UP";
		}
		ActiveSnapshot snapshot = active.orElse(null);
		BrainHealth body = new BrainHealth(status, (snapshot != null) ? snapshot.version() : null,
				(snapshot != null) ? snapshot.label() : null, (snapshot != null) ? snapshot.activatedAt() : null,
				freshness(snapshot), (snapshot != null) ? snapshot.documents() : null,
				(snapshot != null) ? snapshot.chunks() : null,
				new BrainHealth.Replica(serving.map(VersionRef::version).orElse(null), lag),
				this.replica.databaseReachable(), results);
		return ResponseEntity.status(status.equals("DOWN") ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(body);
	}

	/** Age of the active version's content: seconds since it was sealed. */
	private Double freshness(ActiveSnapshot snapshot) {
		if (snapshot == null || snapshot.sealedAt() == null) {
			return null;
		}
		return Duration.between(snapshot.sealedAt(), this.clock.instant()).toMillis() / 1000.0;
	}

}
