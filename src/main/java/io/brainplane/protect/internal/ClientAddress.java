package io.brainplane.protect.internal;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who an anonymous client is: the socket's address, or, only when the operator says a
 * proxy in front sets it, the first {@code X-Forwarded-For} entry. Trusting the header by
 * default would let any client pick a fresh identity per request.
 */
public final class ClientAddress {

	private static final int MAX_LENGTH = 64;

	private ClientAddress() {
	}

	static String of(HttpServletRequest request, boolean trustForwardedFor) {
		if (trustForwardedFor) {
			String forwarded = request.getHeader("X-Forwarded-For");
			if (forwarded != null) {
				String first = forwarded.split(",", 2)[0].trim();
				if (!first.isEmpty() && first.length() <= MAX_LENGTH) {
					return first;
				}
			}
		}
		return request.getRemoteAddr();
	}

}
