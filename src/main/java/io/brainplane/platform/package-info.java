/**
 * Platform: what every feature stands on. Starts the embedded PostgreSQL when no external
 * database is configured, turns every failure into RFC 9457 problem+json, and gives every
 * request an id that appears in logs and responses.
 * <p>
 * Owns no table. Implementation types live in {@code internal}; the root package is the
 * module's API.
 */
@NonNullApi
package io.brainplane.platform;

import org.springframework.lang.NonNullApi;
