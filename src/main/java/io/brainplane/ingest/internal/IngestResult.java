package io.brainplane.ingest.internal;

/**
 * What a call did: documents added or replaced, documents sent again unchanged, keys
 * removed.
 */
public record IngestResult(int upserted, int unchanged, int deleted) {
}
