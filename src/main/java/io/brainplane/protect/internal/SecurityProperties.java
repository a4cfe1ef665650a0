package io.brainplane.protect.internal;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * API keys and request limits.
 *
 * @param keys the API keys this service accepts; the environment variables
 * {@code BRAIN_OPERATOR_KEY} and {@code BRAIN_READER_KEY} each add one more. With none at
 * all an operator key is generated into {@code <data-dir>/operator.key}
 * @param maxRequestBytes largest request body accepted by any endpoint but the webhook
 * (which has {@code brain.webhook.max-bytes}); larger bodies get 413
 * @param maxJsonDepth deepest nesting of JSON objects and arrays accepted in a body
 */
@Validated
@ConfigurationProperties("brain.security")
public record SecurityProperties(@DefaultValue @Valid List<Key> keys, @DefaultValue("16MB") DataSize maxRequestBytes,
		@DefaultValue("32") @Min(4) @Max(1000) int maxJsonDepth) {

	/**
	 * One API key.
	 *
	 * @param name who holds the key; shown as the actor in logs and the activation log
	 * @param role {@code reader} or {@code operator}
	 * @param key the key itself, or
	 * @param sha256 the hex SHA-256 of the key, so the configuration need not hold it
	 */
	public record Key(@Nullable String name, @Nullable String role, @Nullable String key, @Nullable String sha256) {
	}

}
