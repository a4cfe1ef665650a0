/**
 * Audit: who changed what, when, from where and with what outcome. Every state-changing
 * HTTP call under {@code /brain} is recorded by a filter, refusals (401, 403, 409, 422)
 * included, with the action named after the handler that serves it, so new endpoints are
 * covered without doing anything; schedules and automatic safeguards publish
 * {@link io.brainplane.platform.AuditEvent}s. Rows go to the append-only
 * {@code brain_audit} table through the platform's batching writer (bounded queue,
 * breaker, drops counted), so recording never fails or slows the action.
 * {@code GET /brain/audit} pages through them for operators.
 * <p>
 * Owns the table {@code brain_audit}. Implementation types live in {@code internal}; the
 * root package is the module's API.
 */
@NonNullApi
package io.brainplane.audit;

import org.springframework.lang.NonNullApi;
