package io.brainplane.index;

/**
 * A version was created, inside the creating transaction.
 *
 * @param embeddingModel the model its vectors will come from, null when lexical
 * @param parentModel the base's model, null when there is no base or it is lexical
 */
public record VersionCreated(long version, Long parent, String embeddingModel, String parentModel) {
}
