package io.brainplane.ops.internal;

import io.brainplane.index.ActivationRecord;
import io.brainplane.index.ActivationService;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code rollbackMs}: how long the last switch of the active pointer took, against
 * {@code brain.health.rollback-target}; {@code DEGRADED} above it. Unknown
 * ({@code ok: unknown}) before the first switch or while the log cannot be read.
 */
@Component("rollbackMs")
class RollbackHealthIndicator extends AbstractHealthIndicator {

	private final ActivationService activations;

	private final HealthProperties properties;

	RollbackHealthIndicator(ActivationService activations, HealthProperties properties) {
		this.activations = activations;
		this.properties = properties;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		long target = this.properties.rollbackTarget().toMillis();
		Double last = null;
		try {
			last = this.activations.latest()
				.map((logged) -> logged.activation())
				.map(ActivationRecord::durationMs)
				.orElse(null);
		}
		catch (RuntimeException ex) {
			// unknown while the database is unreachable
		}
		Boolean ok = (last != null) ? last <= target : null;
		builder.status(Boolean.FALSE.equals(ok) ? BrainHealthView.DEGRADED : Status.UP)
			.withDetail("value", (last != null) ? last : "unknown")
			.withDetail("target", target)
			.withDetail("ok", (ok != null) ? ok : "unknown");
	}

}
