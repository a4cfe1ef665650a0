/**
 * Operations: {@code GET /brain/health}, a thin view (from memory, no query) over the
 * {@code brain} Actuator health group (the SLA indicators other modules contribute:
 * {@code p95LatencyMs}, {@code hitRate}, {@code backup}, and ops' own {@code rollbackMs})
 * evaluated in the background, plus pulses, breakers and the OpenAPI document.
 * <p>
 * Owns the table {@code pulse_logs}. Reads quality figures through
 * {@code quality.QualityFigures}, rollbacks through {@code index.ActivationService} and
 * backups through {@code platform.BackupHistory}. Implementation types live in
 * {@code internal}; the root package is the module's API.
 */
@NonNullApi
package io.brainplane.ops;

import org.springframework.lang.NonNullApi;
