package io.brainplane.ops.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Targets of {@code GET /brain/health} that no other module owns.
 *
 * @param rollbackTarget longest acceptable activation or rollback (the rollbackMs check)
 */
@ConfigurationProperties("brain.health")
public record HealthProperties(@DefaultValue("5000ms") Duration rollbackTarget) {
}
