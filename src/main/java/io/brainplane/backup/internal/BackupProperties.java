package io.brainplane.backup.internal;

import java.nio.file.Path;
import java.time.Duration;

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
 * @param dir where backups are written, one directory per backup; default
 * {@code <data-dir>/backups}
 * @param lockAtLeastFor how long the schedule lock is held at least, so that replicas
 * whose clocks or schedulers are a little late do not run the same due time again
 * (ISO-8601, e.g. {@code PT30S})
 * @param lockAtMostFor how long a lock of a replica that died mid-backup blocks others
 * @param verifyAfterBackup whether every backup is verified right after it was written
 * @param target the age of the last successful backup above which the {@code backup}
 * health check fails
 * @param retention which backups are kept
 * @param drill the scheduled restore drill
 */
@Validated
@ConfigurationProperties("brain.backup")
public record BackupProperties(@DefaultValue("true") boolean enabled, @DefaultValue("0 0 3 * * *") String cron,
		@Nullable Path dir, @DefaultValue("PT30S") Duration lockAtLeastFor,
		@DefaultValue("PT2H") Duration lockAtMostFor, @DefaultValue("true") boolean verifyAfterBackup,
		@DefaultValue("26h") Duration target, @DefaultValue @Valid Retention retention, @DefaultValue Drill drill) {

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
