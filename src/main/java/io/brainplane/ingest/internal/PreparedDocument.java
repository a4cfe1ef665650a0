package io.brainplane.ingest.internal;

/**
 * A validated document with its content hash and chunks, ready to store.
 */
public record PreparedDocument(String key, String title, String source, String metadataJson, String content,
		byte[] sha256, int contentBytes) {
}
