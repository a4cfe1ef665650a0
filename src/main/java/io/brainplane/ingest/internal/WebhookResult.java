package io.brainplane.ingest.internal;

import org.springframework.lang.Nullable;

/**
 * What a delivery did, returned (202) the first time and again for every repeat of its
 * delivery id.
 *
 * @param version the version the delivery created and sealed
 * @param delivery the delivery id
 * @param activated whether the version was activated
 * @param activationRefused why activation was refused (a gate, say), when it was asked
 * for and refused
 */
public record WebhookResult(long version, String delivery, boolean activated, @Nullable String activationRefused) {
}
