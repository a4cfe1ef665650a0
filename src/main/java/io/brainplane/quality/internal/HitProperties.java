package io.brainplane.quality.internal;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Recording of searches in {@code rag_hits}. The verdict threshold
 * ({@code brain.hits.min-score}) belongs to the search module, which decides the verdict.
 *
 * @param enabled whether searches are recorded at all (off only to measure what recording
 * costs; the verdict counters, metrics windows, health checks and auto-rollback need it)
 * @param storeQueryText whether the query text is stored; when false only its SHA-256 is
 * @param retention how long raw records are kept (the per-minute rollups stay)
 * @param queueCapacity most records waiting for the writer; beyond it new records are
 * dropped and counted in {@code brain.hits.dropped{reason="queue-full"}}
 * @param batchSize most records written in one statement batch
 * @param rollupInterval how often the per-minute rollups are brought up to date
 */
@Validated
@ConfigurationProperties("brain.hits")
public record HitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean storeQueryText,
		@DefaultValue("7d") Duration retention, @DefaultValue("10000") @Min(1) @Max(1_000_000) int queueCapacity,
		@DefaultValue("500") @Min(1) @Max(10_000) int batchSize, @DefaultValue("30s") Duration rollupInterval) {
}
