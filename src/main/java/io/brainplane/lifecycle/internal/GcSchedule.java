package io.brainplane.lifecycle.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the garbage collector every {@code brain.gc.interval}, on one replica at a time:
 * the ShedLock lock is taken for a minute and kept alive while the run lasts, so a
 * replica killed mid-run blocks the others for at most that minute (the next run then
 * redoes what was left).
 */
@Component
@ConditionalOnProperty(prefix = "brain.gc", name = "enabled", havingValue = "true", matchIfMissing = true)
public class GcSchedule {

	static final String LOCK = "brain-gc";

	private final GarbageCollector collector;

	GcSchedule(GarbageCollector collector) {
		this.collector = collector;
	}

	@Scheduled(fixedDelayString = "${brain.gc.interval:1h}", initialDelayString = "${brain.gc.initial-delay:10m}")
	@SchedulerLock(name = LOCK, lockAtMostFor = "PT1M")
	public void run() {
		this.collector.collect();
	}

}
