package io.brainplane.backup.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * Backups.
 *
 * @param enabled whether this replica takes part in the scheduled backups
 * @param cron when scheduled backups run (Spring cron, UTC); {@code -} disables them
 * @param store where backups are kept: {@code filesystem} (under {@code dir}, local to
 * this replica) or {@code s3} (the bucket of {@code brain.storage.s3.*}, under
 * {@code <prefix>backups/}); either holds everything a restore needs, the database only
 * caches the list
 * @param dir where the {@code filesystem} store keeps backups, one directory per backup;
 * default {@code <data-dir>/backups}
 * @param encryptionKey base64 of a 32-byte key; when set, every data file is encrypted
 * with AES-256-GCM after compression (env {@code BRAIN_BACKUP_ENCRYPTIONKEY})
 * @param previousEncryptionKeys earlier keys, still used to read backups taken before a
 * key rotation
 * @param lockAtLeastFor how long the schedule lock is held at least, so that replicas
 * whose clocks or schedulers are a little late do not run the same due time again
 * (ISO-8601, e.g. {@code PT30S})
 * @param lockAtMostFor how long a lock of a replica that died mid-backup, mid-restore or
 * mid-drill blocks the others; a live holder extends its lock while it works
 * @param verifyAfterBackup whether every backup is verified right after it was written
 * @param target the age of the last successful backup above which the {@code backup}
 * health check fails
 * @param retention which backups are kept
 * @param drill the scheduled restore drill
 */
@Validated
@ConfigurationProperties("brain.backup")
public record BackupProperties(@DefaultValue("true") boolean enabled, @DefaultValue("0 0 3 * * *") String cron,
		@DefaultValue("filesystem") Store store, @Nullable Path dir, @Nullable String encryptionKey,
		@DefaultValue List<String> previousEncryptionKeys, @DefaultValue("PT30S") Duration lockAtLeastFor,
		@DefaultValue("PT1M") Duration lockAtMostFor, @DefaultValue("true") boolean verifyAfterBackup,
		@DefaultValue("26h") Duration target, @DefaultValue @Valid Retention retention, @DefaultValue Drill drill) {

	/** Where backups are kept. */
	public enum Store {

		/** A directory on this replica. */
		FILESYSTEM,
		/** The S3-compatible bucket of {@code brain.storage.s3.*}. */
		S3

	}

	@Override
	public String toString() {
		// never the keys
		return "BackupProperties[store=" + this.store + ", dir=" + this.dir + ", encrypted="
				+ (this.encryptionKey != null) + "]";
	}

	/**
	 * Retention, applied after every successful backup; the newest verified backup is
	 * never deleted.
	 *
	 * @param maxCount keep at most this many backups
	 * @param maxAge delete backups older than this
	 */
	public record Retention(@DefaultValue("10") @Min(1) int maxCount, @DefaultValue("30d") Duration maxAge) {
	}

	/**
	 * The scheduled restore drill of the newest successful backup.
	 *
	 * @param cron when the drill runs (Spring cron, UTC); {@code -} (the default)
	 * disables it
	 */
	public record Drill(@DefaultValue("-") String cron) {
	}

}
