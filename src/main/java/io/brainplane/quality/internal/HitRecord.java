package io.brainplane.quality.internal;

import java.time.Instant;

/**
 * One answered search waiting to be written to {@code rag_hits}.
 */
public record HitRecord(String queryId, Instant at, long version, String client, String query, int k, String group,
		int resultCount, float topScore, float relevance, boolean hit, double latencyMs, String mode) {
}
