package io.brainplane.index.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * Index versions and replica synchronisation.
 *
 * @param keepPrevious how many previously active versions (and how many sealed, never
 * activated ones) each replica keeps open beside the active one, so that a rollback to
 * them is a reference swap
 * @param pollInterval how often a replica checks the active pointer when no notification
 * arrives (the fallback when LISTEN/NOTIFY is interrupted)
 * @param keepVersions which versions the garbage collector keeps in the database
 */
@Validated
@ConfigurationProperties("brain.index")
public record IndexProperties(@DefaultValue("3") @Min(0) @Max(50) int keepPrevious,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue @Valid KeepVersions keepVersions) {

	/**
	 * How many sealed versions are kept, and for how long. The active version and the
	 * version a rollback goes back to are always kept, whatever the limits.
	 *
	 * @param count the newest sealed versions kept (by version number); 0 keeps every one
	 * @param maxAge sealed versions neither sealed nor active for longer than this are
	 * deleted even when within {@code count}; unset keeps them regardless of age
	 * @param buildingMaxAge {@code BUILDING} versions created longer ago than this and
	 * with no ingestion job queued or running (abandoned builds, failed deliveries) are
	 * deleted
	 */
	public record KeepVersions(@DefaultValue("20") @Min(0) int count, @Nullable Duration maxAge,
			@DefaultValue("7d") Duration buildingMaxAge) {
	}

}
