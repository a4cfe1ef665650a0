package io.brainplane.ops.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Morning and evening pulses: a summary of the brain posted to a Slack-compatible
 * webhook.
 *
 * @param webhookUrl where pulses are posted as {@code {"text": ...}}; unset records them
 * without delivery
 * @param morningCron when the morning pulse runs (Spring cron, six fields)
 * @param eveningCron when the evening pulse runs
 * @param zone time zone of both cron expressions
 * @param timeout connect and read timeout of one delivery attempt
 * @param dedupeWindow a scheduled pulse is skipped when one of its kind was recorded this
 * recently (another replica ran it)
 */
@ConfigurationProperties("brain.pulse")
public record PulseProperties(String webhookUrl, @DefaultValue(PulseProperties.MORNING) String morningCron,
		@DefaultValue(PulseProperties.EVENING) String eveningCron, @DefaultValue(PulseProperties.ZONE) String zone,
		@DefaultValue("5s") Duration timeout, @DefaultValue("10m") Duration dedupeWindow) {

	static final String MORNING = "0 0 8 * * *";

	static final String EVENING = "0 0 20 * * *";

	static final String ZONE = "UTC";

	boolean webhookConfigured() {
		return this.webhookUrl != null && !this.webhookUrl.isBlank();
	}

}
