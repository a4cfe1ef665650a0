package io.brainplane.ops.internal;

import java.util.Map;

import io.brainplane.index.ActivationRecord;
import io.brainplane.index.ActivationService;
import io.brainplane.ops.HealthCheck;

import org.springframework.stereotype.Component;

/**
 * {@code rollbackMs}: how long the last switch of the active pointer took.
 */
@Component
public class RollbackCheck implements HealthCheck {

	private final ActivationService activations;

	private final HealthProperties properties;

	RollbackCheck(ActivationService activations, HealthProperties properties) {
		this.activations = activations;
		this.properties = properties;
	}

	@Override
	public String name() {
		return "rollbackMs";
	}

	@Override
	public Map<String, Object> evaluate() {
		long target = this.properties.rollbackTarget().toMillis();
		try {
			Double last = this.activations.recent(1)
				.stream()
				.findFirst()
				.map(ActivationRecord::durationMs)
				.orElse(null);
			return HealthCheck.result(last, target, (last != null) ? last <= target : null);
		}
		catch (RuntimeException ex) {
			return HealthCheck.result(null, target, null);
		}
	}

}
