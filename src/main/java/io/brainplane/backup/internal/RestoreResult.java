package io.brainplane.backup.internal;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.lang.Nullable;

/**
 * The outcome of {@code POST /brain/backups/{id}/restore}.
 *
 * @param scope {@code all}, {@code index} or {@code version}
 * @param activeVersion the active version restored; null for scope {@code version}, which
 * leaves the active version as it is
 * @param rows rows restored (scope {@code version}: documents and chunks of the version)
 * @param tables files of the backup read
 * @param version scope {@code version}: the number of the new {@code BUILDING} version
 * @param fromVersion scope {@code version}: the version's number in the backup
 */
public record RestoreResult(String id, boolean restored, String scope, @Nullable Long activeVersion, long rows,
		long tables, double seconds, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long version,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long fromVersion) {
}
