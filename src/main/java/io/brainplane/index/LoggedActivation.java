package io.brainplane.index;

/**
 * A row of the activation log with its id.
 *
 * @param id increasing with every switch
 */
public record LoggedActivation(long id, ActivationRecord activation) {
}
