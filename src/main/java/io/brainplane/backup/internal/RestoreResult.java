package io.brainplane.backup.internal;

import org.springframework.lang.Nullable;

/**
 * The outcome of {@code POST /brain/backups/{id}/restore}.
 */
public record RestoreResult(String id, boolean restored, @Nullable Long activeVersion, long rows, long tables,
		double seconds) {
}
