package io.brainplane.backup.internal;

import java.util.List;

/**
 * The outcome of {@code POST /brain/backups/{id}/verify}.
 */
public record VerifyResult(String id, boolean ok, List<String> problems) {
}
