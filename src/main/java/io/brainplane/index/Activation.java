package io.brainplane.index;

import java.time.Instant;

/**
 * The result of a switch of the active pointer.
 */
public record Activation(Long from, long to, ActivationKind kind, double durationMs, Instant activatedAt) {

}
