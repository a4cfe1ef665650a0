package io.brainplane.backup.internal;

import org.springframework.lang.Nullable;

/**
 * The outcome of {@code POST /brain/backups/{id}/restore}.
 *
 * @param scope {@code all} or {@code index}
 */
public record RestoreResult(String id, boolean restored, String scope, @Nullable Long activeVersion, long rows,
		long tables, double seconds) {
}
