package io.brainplane.ingest.internal;

import java.time.Duration;
import java.util.Optional;

import io.brainplane.index.IndexVersion;
import io.brainplane.index.VersionNotFound;
import io.brainplane.index.VersionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Cleans up after webhook deliveries whose replica died part-way and whose sender never
 * retried: a {@code PENDING} delivery nobody holds a claim on is abandoned. A
 * {@code BUILDING} version it left is deleted and the delivery forgotten (a later retry
 * redoes it); a sealed one is left for a retry to resume. Runs shortly after start-up and
 * then every {@code brain.webhook.sweep-interval}.
 */
@Component
public class WebhookSweeper implements SchedulingConfigurer {

	/** The first sweep after start-up. */
	static final Duration FIRST_SWEEP = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(WebhookSweeper.class);

	private final WebhookDeliveries deliveries;

	private final VersionService versions;

	private final Duration interval;

	WebhookSweeper(WebhookDeliveries deliveries, VersionService versions, WebhookProperties properties) {
		this.deliveries = deliveries;
		this.versions = versions;
		this.interval = properties.sweepInterval();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::scheduled, this.interval, FIRST_SWEEP));
	}

	void scheduled() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			log.warn("Webhook sweep failed ({}); trying again later", ex.getClass().getSimpleName());
		}
	}

	/**
	 * @return how many abandoned versions were deleted
	 */
	public int sweep() {
		int deleted = 0;
		for (String delivery : this.deliveries.pending()) {
			Optional<WebhookDeliveries.Claim> claimed = this.deliveries.tryClaim(delivery);
			if (claimed.isEmpty()) {
				// being applied right now
				continue;
			}
			try (WebhookDeliveries.Claim claim = claimed.get()) {
				WebhookDeliveries.Row row = claim.row();
				if (row.state() != WebhookDeliveries.State.PENDING) {
					continue;
				}
				if (row.version() == null) {
					claim.forget();
					continue;
				}
				IndexVersion version = find(row.version());
				if (version == null) {
					claim.forget();
				}
				else if (!version.state().sealed()) {
					this.versions.delete(version.version());
					claim.forget();
					deleted++;
					log.info("Deleted version {} left BUILDING by abandoned webhook delivery {}", version.version(),
							delivery);
				}
			}
		}
		return deleted;
	}

	private IndexVersion find(long version) {
		try {
			return this.versions.get(version);
		}
		catch (VersionNotFound ex) {
			return null;
		}
	}

}
