package io.brainplane.backup.internal;

import java.util.Map;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Backup freshness in {@code /actuator/health} (management port) and, through the
 * {@code brain} health group, {@code GET /brain/health}. A stale backup is worth an
 * alert, not a restart or a withdrawal from the Service: the indicator says
 * {@code DEGRADED} with {@code ok: false}, and it is in neither probe group.
 */
@Component("backup")
public class BackupHealthIndicator extends AbstractHealthIndicator {

	private final BackupHealthCheck check;

	BackupHealthIndicator(BackupHealthCheck check) {
		this.check = check;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Object> fields = this.check.evaluate();
		builder.status(Boolean.FALSE.equals(fields.get("ok")) ? new Status("DEGRADED") : Status.UP);
		fields.forEach((key, value) -> builder.withDetail(key, (value != null) ? value : "unknown"));
	}

}
