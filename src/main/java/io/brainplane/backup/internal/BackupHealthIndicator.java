package io.brainplane.backup.internal;

import java.util.Map;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Backup freshness in {@code /actuator/health} (management port). A stale backup is worth
 * an alert, not a restart or a withdrawal from the Service: the indicator stays UP and
 * says {@code ok: false}; it is in neither probe group.
 */
@Component("backup")
public class BackupHealthIndicator extends AbstractHealthIndicator {

	private final BackupHealthCheck check;

	BackupHealthIndicator(BackupHealthCheck check) {
		this.check = check;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up();
		Map<String, Object> fields = this.check.evaluate();
		fields.forEach((key, value) -> builder.withDetail(key, (value != null) ? value : "unknown"));
	}

}
