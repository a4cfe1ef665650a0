/**
 * Quality: every answered search recorded in {@code rag_hits} off the request thread
 * (bounded queue, batched background writer behind a circuit breaker and retry), feedback
 * that overrides the automatic verdict, per-minute rollups in {@code brain_metrics}
 * behind {@code GET /brain/metrics}, the {@code p95LatencyMs} and {@code hitRate} health
 * checks, golden evaluation sets that score a version, the activation gate on
 * evaluations, and the automatic rollback of a version whose live quality falls below the
 * objectives.
 */
@NonNullApi
package io.brainplane.quality;

import org.springframework.lang.NonNullApi;
