package io.brainplane.ingest.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The signed ingestion webhook.
 *
 * @param secret the shared secret whose HMAC-SHA256 of the raw body a delivery must carry
 * in {@code X-Brain-Signature}; without one the webhook does not exist (404)
 * @param maxBytes largest delivery body accepted (413 above it)
 */
@ConfigurationProperties("brain.webhook")
public record WebhookProperties(@Nullable String secret, @DefaultValue("10MB") DataSize maxBytes) {

	public boolean enabled() {
		return this.secret != null && !this.secret.isBlank();
	}

}
