/**
 * Operations: {@code GET /brain/health} (status, active version, freshness, replica lag
 * and the SLA checks other modules contribute as {@link io.brainplane.ops.HealthCheck}
 * beans).
 */
@NonNullApi
package io.brainplane.ops;

import org.springframework.lang.NonNullApi;
