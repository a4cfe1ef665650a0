/**
 * Platform: what every feature stands on. Starts the embedded PostgreSQL when no external
 * database is configured, turns every failure into RFC 9457 problem+json, and gives every
 * request an id that appears in logs and responses.
 */
@NonNullApi
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package io.brainplane.platform;

import org.springframework.lang.NonNullApi;
import org.springframework.modulith.ApplicationModule;
