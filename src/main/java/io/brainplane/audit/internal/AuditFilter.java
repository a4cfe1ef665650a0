package io.brainplane.audit.internal;

import java.io.IOException;
import java.util.Set;

import io.brainplane.platform.Caller;
import io.brainplane.platform.RequestIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records every state-changing call under {@code /brain} once it is answered: outside the
 * security filter chain, so the 401s and 403s it writes are recorded too (and the 400,
 * 404, 409, 422 and 5xx of the handlers). Not recorded: reads (GET, HEAD, OPTIONS),
 * {@code POST /brain/feedback} (search telemetry, kept with the search in
 * {@code rag_hits}) and 429s (a flood the rate limit already refused must not flood the
 * trail). The actor is the API key's name, {@code webhook} on the webhook, else
 * {@code anonymous}.
 */
final class AuditFilter extends OncePerRequestFilter {

	private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

	private static final RequestMatcher BRAIN = PathPatternRequestMatcher.withDefaults().matcher("/brain/**");

	private static final RequestMatcher FEEDBACK = PathPatternRequestMatcher.withDefaults().matcher("/brain/feedback");

	private static final RequestMatcher WEBHOOK = PathPatternRequestMatcher.withDefaults().matcher("/brain/webhook");

	private final AuditTrail trail;

	private final AuditActions actions;

	AuditFilter(AuditTrail trail, AuditActions actions) {
		this.trail = trail;
		this.actions = actions;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !CHANGES.contains(request.getMethod()) || !BRAIN.matches(request) || FEEDBACK.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		int status = 500;
		try {
			chain.doFilter(request, response);
			status = response.getStatus();
		}
		finally {
			if (status != 429) {
				record(request, status);
			}
		}
	}

	private void record(HttpServletRequest request, int status) {
		try {
			AuditActions.Named named = this.actions.name(request);
			String key = Caller.keyName(request);
			String actor = (key != null) ? key : WEBHOOK.matches(request) ? "webhook" : "anonymous";
			this.trail.record(actor, named.action(), named.target(), status, MDC.get(RequestIdFilter.MDC_KEY),
					Caller.address(request));
		}
		catch (RuntimeException ex) {
			// Recording must never fail the call it records.
			logger.warn("Could not record an audit entry: " + ex.getClass().getSimpleName());
		}
	}

}
