package io.brainplane.quality.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * Quality objectives, the evaluation gate and automatic rollback.
 *
 * @param hitRateObjective the live hit rate a version should reach (health check and
 * auto-rollback)
 * @param p95Objective the p95 search latency a version should stay under
 * @param minEvalHitRate when set, a version whose last evaluation's hit rate is below it
 * cannot be activated without {@code force}
 * @param requireEval whether a version never evaluated is refused activation (without
 * {@code force})
 * @param healthMinQueries fewest searches in the last hour before the health checks judge
 * the hit rate and latency
 * @param refreshInterval how often the active version's live figures (the health checks)
 * are computed in the background; {@code GET /brain/health} answers from the last ones
 */
@Validated
@ConfigurationProperties("brain.quality")
public record QualityProperties(@DefaultValue("0.7") @DecimalMin("0") @DecimalMax("1") double hitRateObjective,
		@DefaultValue("800ms") Duration p95Objective, @Nullable @DecimalMin("0") @DecimalMax("1") Double minEvalHitRate,
		@DefaultValue("false") boolean requireEval, @DefaultValue("20") @Min(1) int healthMinQueries,
		@DefaultValue @Valid AutoRollback autoRollback, @DefaultValue("10s") Duration refreshInterval) {

	/**
	 * @param enabled whether a freshly activated version is watched and rolled back when
	 * its live quality breaks an objective the previous version met
	 * @param minQueries searches of the new version needed before deciding
	 * @param checkInterval how often the watch looks at the live figures
	 * @param baselineWindow how far before the activation the previous version's figures
	 * are taken from
	 */
	public record AutoRollback(@DefaultValue("false") boolean enabled, @DefaultValue("50") @Min(1) int minQueries,
			@DefaultValue("5s") Duration checkInterval, @DefaultValue("24h") Duration baselineWindow) {
	}

}
