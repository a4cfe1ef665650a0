package io.brainplane.backup.internal;

import java.util.List;

/**
 * The outcome of {@code POST /brain/backups/{id}/drill}.
 */
public record DrillResult(String id, boolean ok, double rtoSeconds, List<String> problems) {
}
