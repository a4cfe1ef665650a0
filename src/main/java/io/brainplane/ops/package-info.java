/**
 * Operations: {@code GET /brain/health} (status, active version, freshness, replica lag
 * and the SLA checks other modules contribute as {@link io.brainplane.ops.HealthCheck}
 * beans).
 * <p>
 * Owns the table {@code pulse_logs}. Implementation types live in {@code internal}; the
 * root package is the module's API.
 */
@NonNullApi
package io.brainplane.ops;

import org.springframework.lang.NonNullApi;
