package io.brainplane.audit;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit trail.
 *
 * @param enabled whether state-changing calls are recorded
 * @param retention how long entries are kept; older ones are deleted by the retention
 * job, the only delete the table allows
 * @param pruneInterval how often the retention job runs
 * @param queueCapacity most entries waiting for the writer; beyond it new ones are
 * dropped and counted in {@code brain_audit_dropped_total{reason="queue-full"}}
 * @param batchSize most entries written in one statement
 */
@Validated
@ConfigurationProperties("brain.audit")
public record AuditProperties(@DefaultValue("true") boolean enabled, @DefaultValue("365d") Duration retention,
		@DefaultValue("1h") Duration pruneInterval, @DefaultValue("10000") @Min(1) @Max(1_000_000) int queueCapacity,
		@DefaultValue("500") @Min(1) @Max(10_000) int batchSize) {
}
