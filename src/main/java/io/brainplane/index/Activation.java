package io.brainplane.index;

import java.time.Instant;

/**
 * The result of a switch of the active pointer.
 */
public record Activation(Long from, long to, String kind, double durationMs, Instant activatedAt) {

	/** Kinds of switch, as stored in the activation log. */
	public static final String ACTIVATE = "activate";

	public static final String ROLLBACK = "rollback";

	public static final String AUTO_ROLLBACK = "auto_rollback";

}
