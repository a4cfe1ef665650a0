package io.brainplane.backup.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which finished backups to delete: beyond the newest {@code maxCount}, or older than
 * {@code maxAge}; the newest verified backup is always kept (and takes one of the
 * {@code maxCount} places).
 */
public final class Retention {

	private Retention() {
	}

	/**
	 * @param backups finished backups, newest first
	 */
	public static List<Backup> toDelete(List<Backup> backups, Instant now, int maxCount, Duration maxAge) {
		Backup protectedOne = backups.stream()
			.filter((backup) -> backup.succeeded() && Boolean.TRUE.equals(backup.verifyOk()))
			.findFirst()
			.orElse(null);
		int places = maxCount - ((protectedOne != null) ? 1 : 0);
		Instant oldest = now.minus(maxAge);
		List<Backup> delete = new ArrayList<>();
		int kept = 0;
		for (Backup backup : backups) {
			if (backup == protectedOne || Backup.RUNNING.equals(backup.state())) {
				continue;
			}
			if (kept < places && !backup.startedAt().isBefore(oldest)) {
				kept++;
			}
			else {
				delete.add(backup);
			}
		}
		return delete;
	}

}
