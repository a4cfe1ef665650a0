package io.brainplane.protect.internal;

import java.util.Locale;

/**
 * What a key may do: a reader searches, gives feedback and reads; an operator does
 * everything.
 */
public enum Role {

	READER, OPERATOR;

	String authority() {
		return "ROLE_" + name();
	}

	static Role parse(String value) {
		try {
			return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"brain.security.keys: role must be reader or operator, not '" + value + "'");
		}
	}

}
