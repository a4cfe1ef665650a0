package io.brainplane.index.internal;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import io.brainplane.index.ReplicaStatus;

/**
 * Readiness of this replica: the database was reached and the active version, if any, is
 * open locally. An empty brain is ready, so the first version can be created through the
 * Service.
 */
@Component("replica")
public class ReplicaHealthIndicator extends AbstractHealthIndicator {

	private final ReplicaStatus status;

	ReplicaHealthIndicator(ReplicaStatus status) {
		this.status = status;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.status(this.status.ready() ? "UP" : "OUT_OF_SERVICE");
		this.status.active().ifPresent((active) -> builder.withDetail("activeVersion", active.version()));
		this.status.serving().ifPresent((serving) -> builder.withDetail("servingVersion", serving.version()));
		builder.withDetail("lagSeconds", this.status.lagSeconds())
			.withDetail("databaseReachable", this.status.databaseReachable());
	}

}
