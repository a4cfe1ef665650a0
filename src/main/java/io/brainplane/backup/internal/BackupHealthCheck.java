package io.brainplane.backup.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * {@code backup}: when the last backup succeeded and whether that is recent enough
 * ({@code brain.backup.target}, default 26 h). Unknown ({@code ok: null}) until a first
 * backup was attempted.
 */
@Component
public class BackupHealthCheck {

	private final BackupStore store;

	private final BackupProperties properties;

	private final Clock clock;

	BackupHealthCheck(BackupStore store, BackupProperties properties, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	public String name() {
		return "backup";
	}

	public Map<String, Object> evaluate() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("lastSuccessAt", null);
		fields.put("ok", null);
		fields.put("target", this.properties.target().toString());
		try {
			Instant last = this.store.lastSuccess().map(Backup::finishedAt).orElse(null);
			if (last != null) {
				fields.put("lastSuccessAt", last);
				fields.put("ok", Duration.between(last, this.clock.instant()).compareTo(this.properties.target()) < 0);
			}
			else if (!this.store.list().isEmpty()) {
				fields.put("ok", false);
			}
		}
		catch (RuntimeException ex) {
			// unknown while the database is unreachable
		}
		return fields;
	}

}
