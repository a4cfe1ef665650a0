package io.brainplane.index.internal;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Index versions and replica synchronisation.
 *
 * @param keepPrevious how many previously active versions (and how many sealed, never
 * activated ones) each replica keeps open beside the active one, so that a rollback to
 * them is a reference swap
 * @param pollInterval how often a replica checks the active pointer when no notification
 * arrives (the fallback when LISTEN/NOTIFY is interrupted)
 */
@Validated
@ConfigurationProperties("brain.index")
public record IndexProperties(@DefaultValue("3") @Min(0) @Max(50) int keepPrevious,
		@DefaultValue("1s") Duration pollInterval) {
}
