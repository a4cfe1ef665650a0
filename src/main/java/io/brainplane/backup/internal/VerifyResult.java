package io.brainplane.backup.internal;

import java.util.List;

/**
 * The outcome of {@code POST /brain/backups/{id}/verify}.
 *
 * @param unavailable the backup could not be read from this replica (its store does not
 * hold it, or cannot be reached): no verdict, nothing recorded
 */
public record VerifyResult(String id, boolean ok, List<String> problems, boolean unavailable) {
}
