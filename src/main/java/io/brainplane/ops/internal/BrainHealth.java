package io.brainplane.ops.internal;

import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code GET /brain/health}.
 *
 * @param checks the checks of the {@code brain} health group by name, each with its
 * fields ({@code value}, {@code target}, {@code ok}, ...) and {@code status}
 * @param checkedAt when the checks were last evaluated (in the background), null before
 * the first evaluation
 */
public record BrainHealth(String status, Long version, String label, Instant activatedAt, Double freshnessSeconds,
		Integer documents, Long chunks, Replica replica, boolean databaseReachable,
		Map<String, Map<String, Object>> checks, Instant checkedAt) {

	/** The version this replica serves and how far it is behind the active pointer. */
	public record Replica(Long servingVersion, double lagSeconds) {
	}

}
