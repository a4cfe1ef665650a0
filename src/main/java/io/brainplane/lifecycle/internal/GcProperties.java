package io.brainplane.lifecycle.internal;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The garbage collector.
 *
 * @param enabled whether the collector runs on a schedule
 * @param interval the pause between two runs
 * @param initialDelay the pause after start-up before the first run
 * @param batchSize rows (or versions) deleted per statement
 * @param grace revisions, embeddings and segment-store files younger than this are never
 * deleted, whatever references them (covers work in flight)
 * @param jobRetention finished ingestion jobs are kept this long
 * @param rollupRetention per-minute search rollups are kept this long
 * @param webhookDeliveryRetention finished webhook deliveries (the ids a repeated
 * delivery is recognised by, with their results) are kept this long
 * @param scanLimit most revisions, and most embeddings, one run examines for references;
 * the next run carries on where it stopped, so a run's cost stays bounded on a large
 * brain and successive runs cover every row
 */
@Validated
@ConfigurationProperties("brain.gc")
public record GcProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1h") Duration interval,
		@DefaultValue("10m") Duration initialDelay, @DefaultValue("1000") @Min(1) @Max(100_000) int batchSize,
		@DefaultValue("1h") Duration grace, @DefaultValue("7d") Duration jobRetention,
		@DefaultValue("90d") Duration rollupRetention, @DefaultValue("30d") Duration webhookDeliveryRetention,
		@DefaultValue("100000") @Min(1) long scanLimit) {
}
