/**
 * Quality: every answered search recorded in {@code rag_hits} off the request thread
 * (bounded queue, batched background writer behind a circuit breaker and retry), feedback
 * that overrides the automatic verdict, per-minute rollups in {@code brain_metrics}, and
 * {@link io.brainplane.quality.QualityFigures}: hit rate, latency percentiles and
 * freshness computed one way for {@code GET /brain/metrics}, the {@code p95LatencyMs} and
 * {@code hitRate} health indicators (status {@code DEGRADED} when missed), pulses and the
 * automatic rollback. Also golden evaluation sets that score a version, the activation
 * gate on evaluations, and the automatic rollback of a version whose live quality falls
 * below the objectives.
 * <p>
 * Owns the tables {@code rag_hits}, {@code brain_metrics}, {@code eval_set} and
 * {@code auto_rollback_decision}. Reads other modules only through their API: the
 * activation log through {@code index.ActivationService} ({@code latest},
 * {@code rollbacksSince}), the active version through {@code index.ReplicaStatus},
 * backups through {@code platform.BackupHistory}. A version's evaluation is stored on the
 * version by the index module ({@code VersionService.recordEvaluation}, shown as the
 * version's {@code evaluation}); quality computes it and reads it back for the activation
 * gate. Implementation types live in {@code internal}; the root package is the module's
 * API.
 */
@NonNullApi
package io.brainplane.quality;

import org.springframework.lang.NonNullApi;
