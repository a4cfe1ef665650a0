package io.brainplane.platform;

import java.time.Instant;

/**
 * What other modules may know of past backups without reading the backup module's tables:
 * the backup module implements it; quality ({@code /brain/metrics}) and ops (pulses) read
 * it. It lives in the platform so that neither reader depends on the backup module (which
 * may itself use quality's API).
 */
public interface BackupHistory {

	/** Backups that succeeded at or after {@code since}. */
	long succeededSince(Instant since);

}
