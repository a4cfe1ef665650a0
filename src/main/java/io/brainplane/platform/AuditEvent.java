package io.brainplane.platform;

import org.springframework.lang.Nullable;

/**
 * A state change made without an HTTP call, for the audit trail: a module publishes it
 * (as an application event) when a schedule or an automatic safeguard acts, say the
 * nightly backup or an automatic rollback. HTTP calls are recorded without any help from
 * the module that serves them.
 *
 * @param actor who acted; {@code system} for schedules and automatic safeguards
 * @param action what was done, as {@code <resource>.<verb>} ({@code versions.rollback})
 * @param target what it was done to ({@code version=7}), or null
 * @param outcome {@code ok}, {@code refused} or {@code failed}
 * @param detail a short explanation (why the rollback happened), or null; never secrets
 */
public record AuditEvent(String actor, String action, @Nullable String target, String outcome,
		@Nullable String detail) {

	/** The actor of schedules and automatic safeguards. */
	public static final String SYSTEM = "system";

	/** An action by the system that succeeded. */
	public static AuditEvent system(String action, @Nullable String target, @Nullable String detail) {
		return new AuditEvent(SYSTEM, action, target, "ok", detail);
	}

	/** An action by the system that failed. */
	public static AuditEvent systemFailure(String action, @Nullable String target, @Nullable String detail) {
		return new AuditEvent(SYSTEM, action, target, "failed", detail);
	}

}
