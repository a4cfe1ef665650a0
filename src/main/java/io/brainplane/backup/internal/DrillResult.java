package io.brainplane.backup.internal;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.lang.Nullable;

/**
 * The outcome of {@code POST /brain/backups/{id}/drill}.
 *
 * @param rtoSeconds the time to read, check and load the backup (the evaluation not
 * included)
 * @param evaluation the backup's evaluation sets replayed against its active version in
 * the scratch copy; absent when the backup has no active version or the load failed
 */
public record DrillResult(String id, boolean ok, double rtoSeconds, List<String> problems,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable DrillEvaluation evaluation) {
}
