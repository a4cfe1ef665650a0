package io.brainplane.protect.internal;

import io.brainplane.platform.Caller;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the key from {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} and,
 * when it is known, authenticates the request as the key's holder with its role. An
 * unknown key is remembered on the request so the 401 can say so; it is never logged. The
 * key's name and the client address are also left on the request as {@link Caller}
 * attributes, for the audit trail.
 */
public final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	static final String UNKNOWN_KEY = ApiKeyAuthenticationFilter.class.getName() + ".unknown";

	private static final String BEARER = "bearer ";

	private final ApiKeys keys;

	private final boolean trustForwardedFor;

	ApiKeyAuthenticationFilter(ApiKeys keys, boolean trustForwardedFor) {
		this.keys = keys;
		this.trustForwardedFor = trustForwardedFor;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		request.setAttribute(Caller.ADDRESS, ClientAddress.of(request, this.trustForwardedFor));
		Optional<String> presented = presentedKey(request);
		if (presented.isPresent()) {
			Optional<ApiKeys.KnownKey> known = this.keys.find(presented.get());
			if (known.isPresent()) {
				ApiKeys.KnownKey key = known.get();
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(key.name(), null,
						List.of(new SimpleGrantedAuthority(key.role().authority()))));
				SecurityContextHolder.setContext(context);
				request.setAttribute(Caller.KEY_NAME, key.name());
			}
			else {
				request.setAttribute(UNKNOWN_KEY, Boolean.TRUE);
			}
		}
		chain.doFilter(request, response);
	}

	static Optional<String> presentedKey(HttpServletRequest request) {
		String authorization = request.getHeader("Authorization");
		if (authorization != null && authorization.length() > BEARER.length()
				&& authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return Optional.of(authorization.substring(BEARER.length()).trim()).filter((key) -> !key.isEmpty());
		}
		String header = request.getHeader("X-API-Key");
		return Optional.ofNullable(header).map(String::trim).filter((key) -> !key.isEmpty());
	}

}
