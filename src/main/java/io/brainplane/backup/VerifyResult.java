package io.brainplane.backup;

import java.util.List;

/**
 * The outcome of {@code POST /brain/backups/{id}/verify}.
 */
public record VerifyResult(String id, boolean ok, List<String> problems) {
}
