/**
 * Protection: who may call what and how often. API keys with the roles {@code reader} and
 * {@code operator} (from configuration, the environment, or an operator key generated on
 * first start), the Spring Security rules that map routes to roles, Bucket4j rate limits
 * per key (or client address) and route class, in memory or shared through PostgreSQL,
 * and the limits on request bodies and JSON that keep hostile input from tying up the
 * service. Every refusal is problem+json.
 * <p>
 * Owns the table {@code brain_rate_limit}. Implementation types live in {@code internal};
 * the root package is the module's API.
 */
@NonNullApi
package io.brainplane.protect;

import org.springframework.lang.NonNullApi;
