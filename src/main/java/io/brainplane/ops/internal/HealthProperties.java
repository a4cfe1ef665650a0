package io.brainplane.ops.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code GET /brain/health}.
 *
 * @param rollbackTarget longest acceptable activation or rollback (the rollbackMs check)
 * @param refreshInterval how often the checks of the {@code brain} health group are
 * evaluated in the background; {@code GET /brain/health} answers from the last evaluation
 * and never runs a query
 */
@ConfigurationProperties("brain.health")
public record HealthProperties(@DefaultValue("5000ms") Duration rollbackTarget,
		@DefaultValue("10s") Duration refreshInterval) {
}
