package io.brainplane.backup.internal;

import io.brainplane.platform.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;

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

	private final ApplicationEventPublisher events;

	BackupSchedule(BackupService backups, ApplicationEventPublisher events) {
		this.backups = backups;
		this.events = events;
	}

	@Scheduled(cron = "${brain.backup.cron:0 0 3 * * *}", zone = "UTC")
	@SchedulerLock(name = BackupService.LOCK, lockAtLeastFor = "${brain.backup.lock-at-least-for:PT30S}",
			lockAtMostFor = "${brain.backup.lock-at-most-for:PT1M}")
	public void backup() {
		audited("backups.create", this.backups::runScheduled);
	}

	@Scheduled(cron = "${brain.backup.drill.cron:-}", zone = "UTC")
	@SchedulerLock(name = BackupService.DRILL_LOCK, lockAtLeastFor = "${brain.backup.lock-at-least-for:PT30S}",
			lockAtMostFor = "${brain.backup.lock-at-most-for:PT1M}")
	public void drill() {
		audited("backups.drill", this.backups::drillLatest);
	}

	/** Runs a scheduled action and records it in the audit trail as the system's. */
	private void audited(String action, Runnable work) {
		try {
			work.run();
			this.events.publishEvent(AuditEvent.system(action, null, "scheduled"));
		}
		catch (RuntimeException ex) {
			this.events.publishEvent(AuditEvent.systemFailure(action, null,
					"scheduled: failed (" + ex.getClass().getSimpleName() + ")"));
			throw ex;
		}
	}

}
