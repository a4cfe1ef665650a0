package io.brainplane.protect.internal;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which limit a request counts against. Classified the way Spring MVC picks the handler
 * that will serve the request: on the decoded path ({@code /brain/%73earch} is
 * {@code /brain/search}) with the same path patterns, and with {@code HEAD} counted as
 * the {@code GET} its handler serves. The rules are tried in order, so every request
 * falls in exactly one class.
 */
public enum RouteClass {

	/** {@code GET /brain/search} and {@code POST /brain/feedback}. */
	SEARCH,
	/** {@code /brain/webhook}, any method. */
	WEBHOOK,
	/**
	 * {@code /brain/health}: public, so always counted per client address, in a bucket of
	 * its own so that an uptime checker and an anonymous client do not share one.
	 */
	HEALTH,
	/** Everything else under {@code /brain}. */
	DEFAULT;

	private static final RequestMatcher BRAIN = path("/brain/**");

	private static final RequestMatcher SEARCH_PATH = path("/brain/search");

	private static final RequestMatcher FEEDBACK_PATH = path("/brain/feedback");

	private static final RequestMatcher WEBHOOK_PATH = path("/brain/webhook");

	private static final RequestMatcher HEALTH_PATH = path("/brain/health");

	/** Whether the request is under {@code /brain} once decoded. */
	public static boolean isBrain(HttpServletRequest request) {
		return BRAIN.matches(request);
	}

	public static RouteClass of(HttpServletRequest request) {
		String method = request.getMethod();
		boolean get = "GET".equals(method) || "HEAD".equals(method);
		if ((get && SEARCH_PATH.matches(request)) || ("POST".equals(method) && FEEDBACK_PATH.matches(request))) {
			return SEARCH;
		}
		if (WEBHOOK_PATH.matches(request)) {
			return WEBHOOK;
		}
		if (HEALTH_PATH.matches(request)) {
			return HEALTH;
		}
		return DEFAULT;
	}

	long perMinute(RateLimitProperties properties) {
		return switch (this) {
			case SEARCH -> properties.searchPerMinute();
			case WEBHOOK -> properties.webhookPerMinute();
			case HEALTH, DEFAULT -> properties.defaultPerMinute();
		};
	}

	private static RequestMatcher path(String pattern) {
		return PathPatternRequestMatcher.withDefaults().matcher(pattern);
	}

}
