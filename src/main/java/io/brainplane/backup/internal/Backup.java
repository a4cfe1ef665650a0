package io.brainplane.backup.internal;

import java.time.Instant;

import org.springframework.lang.Nullable;

/**
 * One backup as the API shows it.
 *
 * @param id the backup's id, also its directory name
 * @param state {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}
 * @param trigger {@code schedule}, {@code manual} or {@code import} (found on disk)
 * @param sizeBytes total size of its files
 * @param activeVersion the version that was active when it was taken
 * @param rows rows over every table
 * @param verifyOk the result of the last verification
 * @param rtoSeconds how long the last restore drill took
 */
public record Backup(String id, String state, String trigger, Instant startedAt, @Nullable Instant finishedAt,
		@Nullable Long sizeBytes, @Nullable Long activeVersion, @Nullable Long rows, @Nullable Instant verifiedAt,
		@Nullable Boolean verifyOk, @Nullable Instant drilledAt, @Nullable Double rtoSeconds) {

	public static final String RUNNING = "RUNNING";

	public static final String SUCCEEDED = "SUCCEEDED";

	public static final String FAILED = "FAILED";

	Backup withState(String newState) {
		return new Backup(this.id, newState, this.trigger, this.startedAt, this.finishedAt, this.sizeBytes,
				this.activeVersion, this.rows, this.verifiedAt, this.verifyOk, this.drilledAt, this.rtoSeconds);
	}

	public boolean succeeded() {
		return SUCCEEDED.equals(this.state);
	}

}
