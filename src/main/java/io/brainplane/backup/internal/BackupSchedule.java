package io.brainplane.backup.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduled backup and drill. Every replica has the schedule; the ShedLock lock on
 * the database lets exactly one of them run each due time, and holds it at least
 * {@code brain.backup.lock-at-least-for} so that a replica whose scheduler fires a little
 * late finds it taken.
 */
@Component
@ConditionalOnProperty(prefix = "brain.backup", name = "enabled", havingValue = "true", matchIfMissing = true)
public class BackupSchedule {

	private final BackupService backups;

	BackupSchedule(BackupService backups) {
		this.backups = backups;
	}

	@Scheduled(cron = "${brain.backup.cron:0 0 3 * * *}", zone = "UTC")
	@SchedulerLock(name = BackupService.LOCK, lockAtLeastFor = "${brain.backup.lock-at-least-for:PT30S}",
			lockAtMostFor = "${brain.backup.lock-at-most-for:PT1M}")
	public void backup() {
		this.backups.runScheduled();
	}

	@Scheduled(cron = "${brain.backup.drill.cron:-}", zone = "UTC")
	@SchedulerLock(name = BackupService.DRILL_LOCK, lockAtLeastFor = "${brain.backup.lock-at-least-for:PT30S}",
			lockAtMostFor = "${brain.backup.lock-at-most-for:PT1M}")
	public void drill() {
		this.backups.drillLatest();
	}

}
