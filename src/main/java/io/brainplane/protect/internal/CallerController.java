package io.brainplane.protect.internal;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/me}: the name and role of the key that calls, so a client (the
 * console) can show what it may do before it tries. Never returns the key.
 */
@RestController
class CallerController {

	@GetMapping("/brain/me")
	Caller me(Authentication caller) {
		boolean operator = caller.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.anyMatch("ROLE_OPERATOR"::equals);
		return new Caller(caller.getName(), operator ? "operator" : "reader");
	}

	/** Who calls: the key's configured name and its role. */
	record Caller(String name, String role) {
	}

}
