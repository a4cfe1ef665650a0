package io.brainplane.protect.internal;

/**
 * Which limit a request counts against.
 */
public enum RouteClass {

	SEARCH, WEBHOOK, DEFAULT;

	static RouteClass of(String method, String path) {
		if (("GET".equals(method) && path.equals("/brain/search"))
				|| ("POST".equals(method) && path.equals("/brain/feedback"))) {
			return SEARCH;
		}
		if (path.equals("/brain/webhook")) {
			return WEBHOOK;
		}
		return DEFAULT;
	}

	long perMinute(RateLimitProperties properties) {
		return switch (this) {
			case SEARCH -> properties.searchPerMinute();
			case WEBHOOK -> properties.webhookPerMinute();
			case DEFAULT -> properties.defaultPerMinute();
		};
	}

}
