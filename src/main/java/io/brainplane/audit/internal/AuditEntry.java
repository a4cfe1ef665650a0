package io.brainplane.audit.internal;

import java.time.Instant;
import java.util.UUID;

import org.springframework.lang.Nullable;

/**
 * One audit row waiting to be written. The event id makes writing it idempotent.
 */
record AuditEntry(UUID eventId, Instant at, String actor, String action, @Nullable String target, String outcome,
		@Nullable Integer status, @Nullable String requestId, @Nullable String client, @Nullable String detail) {

	/** The outcome word for an HTTP status: 2xx and 3xx ok, 4xx refused, 5xx failed. */
	static String outcome(int status) {
		return (status >= 500) ? "failed" : (status >= 400) ? "refused" : "ok";
	}

}
