package io.brainplane.protect.internal;

import java.io.IOException;

import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every {@code /brain} request (the public health endpoint included; the
 * Kubernetes probes on the management port are not under {@code /brain}) against its
 * client's bucket for its {@link RouteClass}: the key's name when a known key was
 * presented, else the client address. Paths are matched decoded, as the handler sees
 * them. Runs after authentication and before authorization, so anonymous and unauthorised
 * floods are limited too. The probe is a value: the headers and the 429 are built from it
 * here. When the shared store cannot be reached, requests pass unlimited: an outage of
 * the limiter must not stop searches that need no database.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

	static final String LIMIT = "X-RateLimit-Limit";

	static final String REMAINING = "X-RateLimit-Remaining";

	private final RateLimiter limiter;

	private final RateLimitProperties properties;

	private final ProblemResponses problems;

	private final MeterRegistry registry;

	RateLimitFilter(RateLimiter limiter, RateLimitProperties properties, ProblemResponses problems,
			MeterRegistry registry) {
		this.registry = registry;
		this.limiter = limiter;
		this.properties = properties;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.properties.enabled() || !RouteClass.isBrain(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RouteClass route = RouteClass.of(request);
		long limit = route.perMinute(this.properties);
		ConsumptionProbe probe;
		try {
			probe = this.limiter.tryConsume(client(request) + "|" + route + "|" + limit, limit);
		}
		catch (RuntimeException ex) {
			// The shared store (PostgreSQL) is unreachable: serve unlimited rather than
			// fail searches that need no database at all.
			log.warn("Rate limit store unavailable ({}); request not limited", ex.getClass().getSimpleName());
			chain.doFilter(request, response);
			return;
		}
		response.setHeader(LIMIT, Long.toString(limit));
		response.setHeader(REMAINING, Long.toString(Math.max(0, probe.getRemainingTokens())));
		if (probe.isConsumed()) {
			chain.doFilter(request, response);
			return;
		}
		Counter.builder("brain.ratelimit.refusals")
			.description("Requests refused with 429 by the rate limit, by route class")
			.tag("route", route.name().toLowerCase())
			.register(this.registry)
			.increment();
		long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		this.problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
				"The limit of " + limit + " " + route.name().toLowerCase() + " requests a minute is used up; retry in "
						+ retryAfter + " s.");
	}

	private String client(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			return "key:" + authentication.getName();
		}
		return "ip:" + ClientAddress.of(request, this.properties.trustForwardedFor());
	}

}
