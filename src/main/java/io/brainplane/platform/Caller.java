package io.brainplane.platform;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.lang.Nullable;

/**
 * Who made a request, as the protect module established it, kept on the request so that
 * code running outside the security filter chain (the audit trail) can read it once the
 * chain is done.
 */
public final class Caller {

	/** Request attribute: the name of the API key that authenticated the request. */
	public static final String KEY_NAME = Caller.class.getName() + ".keyName";

	/**
	 * Request attribute: the client address as the rate limit counts it (the socket's
	 * address, or a trusted {@code X-Forwarded-For}).
	 */
	public static final String ADDRESS = Caller.class.getName() + ".address";

	private Caller() {
	}

	/** The key name, or null for an anonymous or unknown key. */
	@Nullable
	public static String keyName(HttpServletRequest request) {
		return (request.getAttribute(KEY_NAME) instanceof String name) ? name : null;
	}

	/** The client address, falling back to the socket's. */
	public static String address(HttpServletRequest request) {
		return (request.getAttribute(ADDRESS) instanceof String address) ? address : request.getRemoteAddr();
	}

}
