package io.brainplane.ops.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.ReplicaStatus;
import io.brainplane.index.VersionRef;
import io.brainplane.quality.QualityFigures;

import org.springframework.boot.actuate.health.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/health}: public, a thin view over the {@code brain} health group as
 * last evaluated in the background ({@link BrainHealthView}) and what this replica knows
 * of the brain ({@link ReplicaStatus}); everything from memory, no query. 200 while this
 * replica serves a version, 503 otherwise. UP when everything is in order; DEGRADED when
 * serving but the database is unreachable, the replica lags behind the pointer or a check
 * is not UP; DOWN when nothing is served.
 */
@RestController
public class HealthController {

	private final ReplicaStatus replica;

	private final BrainHealthView checks;

	private final QualityFigures figures;

	HealthController(ReplicaStatus replica, BrainHealthView checks, QualityFigures figures) {
		this.replica = replica;
		this.checks = checks;
		this.figures = figures;
	}

	@GetMapping("/brain/health")
	ResponseEntity<BrainHealth> health() {
		Optional<ActiveSnapshot> active = this.replica.active();
		Optional<VersionRef> serving = this.replica.serving();
		BrainHealthView.Snapshot evaluated = this.checks.last();
		Map<String, Map<String, Object>> results = new LinkedHashMap<>();
		if (evaluated != null) {
			evaluated.checks().forEach((name, check) -> {
				Map<String, Object> fields = new LinkedHashMap<>();
				fields.put("value", null);
				fields.put("target", null);
				fields.put("ok", null);
				fields.putAll(check.fields());
				fields.put("status", check.status().getCode());
				results.put(name, fields);
			});
		}
		boolean failing = evaluated != null && !Status.UP.equals(evaluated.status())
				&& !Status.UNKNOWN.equals(evaluated.status());
		double lag = this.replica.lagSeconds();
		String status;
		if (active.isEmpty() || serving.isEmpty()) {
			status = Status.DOWN.getCode();
		}
		else if (!this.replica.databaseReachable() || lag > 0 || failing) {
			status = BrainHealthView.DEGRADED.getCode();
		}
		else {
			status = Status.UP.getCode();
		}
		ActiveSnapshot snapshot = active.orElse(null);
		Instant checkedAt = (evaluated != null) ? evaluated.checkedAt() : null;
		BrainHealth body = new BrainHealth(status, (snapshot != null) ? snapshot.version() : null,
				(snapshot != null) ? snapshot.label() : null, (snapshot != null) ? snapshot.activatedAt() : null,
				this.figures.freshnessSeconds(), (snapshot != null) ? snapshot.documents() : null,
				(snapshot != null) ? snapshot.chunks() : null,
				new BrainHealth.Replica(serving.map(VersionRef::version).orElse(null), lag),
				this.replica.databaseReachable(), results, checkedAt);
		return ResponseEntity
			.status(Status.DOWN.getCode().equals(status) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
			.body(body);
	}

}
