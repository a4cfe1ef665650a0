/**
 * Quality: every answered search recorded in {@code rag_hits} off the request thread
 * (bounded queue, batched background writer behind a circuit breaker and retry), feedback
 * that overrides the automatic verdict, per-minute rollups in {@code brain_metrics}
 * behind {@code GET /brain/metrics}, the {@code p95LatencyMs} and {@code hitRate} health
 * checks, golden evaluation sets that score a version, the activation gate on
 * evaluations, and the automatic rollback of a version whose live quality falls below the
 * objectives.
 * <p>
 * Owns the tables {@code rag_hits}, {@code brain_metrics}, {@code eval_set} and
 * {@code auto_rollback_decision} and the view {@code brain_health}. Implementation types
 * live in {@code internal}; the root package is the module's API.
 */
@NonNullApi
package io.brainplane.quality;

import org.springframework.lang.NonNullApi;
