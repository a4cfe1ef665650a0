package io.brainplane.ops.internal;

import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code GET /brain/health}.
 */
public record BrainHealth(String status, Long version, String label, Instant activatedAt, Double freshnessSeconds,
		Integer documents, Long chunks, Replica replica, boolean databaseReachable,
		Map<String, Map<String, Object>> checks) {

	/** The version this replica serves and how far it is behind the active pointer. */
	public record Replica(Long servingVersion, double lagSeconds) {
	}

}
