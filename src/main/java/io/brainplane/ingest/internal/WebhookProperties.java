package io.brainplane.ingest.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The signed ingestion webhook (Standard Webhooks).
 *
 * @param secret {@code whsec_<base64>}: the key of the HMAC-SHA256 every delivery's
 * {@code webhook-signature} carries; without one the webhook does not exist (404)
 * @param maxBytes largest delivery body accepted (413 above it)
 * @param tolerance how far {@code webhook-timestamp} may be from this replica's clock,
 * either way, before a delivery is refused (401): a captured delivery cannot be replayed
 * later
 * @param sweepInterval how often deliveries abandoned part-way (their replica died, their
 * sender never retried) are looked for, and the {@code BUILDING} versions they left
 * deleted
 */
@ConfigurationProperties("brain.webhook")
public record WebhookProperties(@Nullable String secret, @DefaultValue("10MB") DataSize maxBytes,
		@DefaultValue("5m") Duration tolerance, @DefaultValue("1m") Duration sweepInterval) {

	public WebhookProperties {
		if (secret != null && !secret.isBlank()) {
			// fails start-up with a clear message when the secret is malformed
			WebhookSignature.of(secret);
		}
		if (tolerance.isNegative() || tolerance.isZero()) {
			throw new IllegalArgumentException("brain.webhook.tolerance must be positive");
		}
		if (sweepInterval.isNegative() || sweepInterval.isZero()) {
			throw new IllegalArgumentException("brain.webhook.sweep-interval must be positive");
		}
	}

	public boolean enabled() {
		return this.secret != null && !this.secret.isBlank();
	}

	WebhookSignature signature() {
		return WebhookSignature.of(this.secret);
	}

}
