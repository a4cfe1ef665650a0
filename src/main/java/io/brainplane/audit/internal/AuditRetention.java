package io.brainplane.audit.internal;

import java.time.Clock;

import io.brainplane.audit.AuditProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes audit entries older than {@code brain.audit.retention}: the only delete the
 * table lets through. Every replica runs it; the delete is idempotent.
 */
@Component
class AuditRetention {

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	private final AuditStore store;

	private final AuditProperties properties;

	private final Clock clock;

	AuditRetention(AuditStore store, AuditProperties properties, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${brain.audit.prune-interval:1h}", initialDelayString = "1m")
	void scheduled() {
		try {
			prune();
		}
		catch (RuntimeException ex) {
			log.warn("Audit retention failed: {}", ex.getClass().getSimpleName());
		}
	}

	int prune() {
		int deleted = this.store.prune(this.clock.instant().minus(this.properties.retention()));
		if (deleted > 0) {
			log.info("Audit retention deleted {} entries older than {}", deleted, this.properties.retention());
		}
		return deleted;
	}

}
