package io.brainplane.backup.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

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
public record Backup(String id, State state, Trigger trigger, Instant startedAt, @Nullable Instant finishedAt,
		@Nullable Long sizeBytes, @Nullable Long activeVersion, @Nullable Long rows, @Nullable Instant verifiedAt,
		@Nullable Boolean verifyOk, @Nullable Instant drilledAt, @Nullable Double rtoSeconds) {

	public static final State RUNNING = State.RUNNING;

	public static final State SUCCEEDED = State.SUCCEEDED;

	public static final State FAILED = State.FAILED;

	Backup withState(State newState) {
		return new Backup(this.id, newState, this.trigger, this.startedAt, this.finishedAt, this.sizeBytes,
				this.activeVersion, this.rows, this.verifiedAt, this.verifyOk, this.drilledAt, this.rtoSeconds);
	}

	public boolean succeeded() {
		return this.state == State.SUCCEEDED;
	}

	/** Where a backup stands, as stored in {@code brain_backup.state}. */
	public enum State {

		RUNNING, SUCCEEDED, FAILED

	}

	/** What started a backup, as stored in {@code brain_backup.trigger} and shown. */
	public enum Trigger {

		/** The cron schedule. */
		SCHEDULE,
		/** {@code POST /brain/backups}. */
		MANUAL,
		/** Found in the backup store, written by another deployment. */
		IMPORT;

		@JsonValue
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Trigger of(String value) {
			return Arrays.stream(values())
				.filter((trigger) -> trigger.value().equals(value))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no backup trigger " + value));
		}

	}

}
