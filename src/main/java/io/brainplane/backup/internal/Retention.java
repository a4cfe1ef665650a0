package io.brainplane.backup.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which backups to delete. Only successful, verified backups count: the newest
 * {@code maxCount} of them younger than {@code maxAge} are kept, and the newest of them
 * is kept whatever its age. Failed, unverified and corrupt backups count for nothing and
 * are deleted once older than {@code maxAge}. Running backups are never touched.
 */
public final class Retention {

	private Retention() {
	}

	/**
	 * @param backups the backups, newest first
	 */
	public static List<Backup> toDelete(List<Backup> backups, Instant now, int maxCount, Duration maxAge) {
		Instant oldest = now.minus(maxAge);
		List<Backup> delete = new ArrayList<>();
		int kept = 0;
		for (Backup backup : backups) {
			if (Backup.RUNNING.equals(backup.state())) {
				continue;
			}
			boolean counts = backup.succeeded() && Boolean.TRUE.equals(backup.verifyOk());
			boolean young = !backup.startedAt().isBefore(oldest);
			if (counts && (kept == 0 || (kept < maxCount && young))) {
				kept++;
			}
			else if (counts || !young) {
				delete.add(backup);
			}
		}
		return delete;
	}

}
