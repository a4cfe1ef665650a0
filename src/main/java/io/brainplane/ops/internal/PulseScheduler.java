package io.brainplane.ops.internal;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fires the morning and evening pulses on {@code brain.pulse.morning-cron} and
 * {@code brain.pulse.evening-cron} in {@code brain.pulse.zone}. Every replica fires;
 * {@link PulseService#scheduled(String)} lets only one of them run the pulse.
 */
@Component
public class PulseScheduler {

	private final PulseService pulses;

	PulseScheduler(PulseService pulses) {
		this.pulses = pulses;
	}

	@Scheduled(cron = "${brain.pulse.morning-cron:" + PulseProperties.MORNING + "}",
			zone = "${brain.pulse.zone:" + PulseProperties.ZONE + "}")
	void morning() {
		this.pulses.scheduled("morning");
	}

	@Scheduled(cron = "${brain.pulse.evening-cron:" + PulseProperties.EVENING + "}",
			zone = "${brain.pulse.zone:" + PulseProperties.ZONE + "}")
	void evening() {
		this.pulses.scheduled("evening");
	}

}
