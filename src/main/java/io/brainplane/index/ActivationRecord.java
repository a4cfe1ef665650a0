package io.brainplane.index;

import java.time.Instant;

/**
 * One row of the activation log.
 */
public record ActivationRecord(Long from, long to, ActivationKind kind, String actor, String reason, double durationMs,
		Instant at) {
}
