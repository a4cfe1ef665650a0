package io.brainplane.index;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why the active pointer moved, as the activation log stores it and the API shows it
 * ({@code activate}, {@code rollback}, {@code auto_rollback}).
 */
public enum ActivationKind {

	/** An operator (or a webhook delivery) activated a version. */
	ACTIVATE,
	/** An operator rolled back. */
	ROLLBACK,
	/**
	 * The automatic rollback of a version whose live quality fell below the objectives.
	 */
	AUTO_ROLLBACK;

	/** The value stored in {@code activation_log.kind} and shown by the API. */
	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean rollback() {
		return this != ACTIVATE;
	}

	/**
	 * The kind stored as {@code value}.
	 * @throws IllegalArgumentException for a value no kind has
	 */
	public static ActivationKind of(String value) {
		return Arrays.stream(values())
			.filter((kind) -> kind.value().equals(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no activation kind " + value));
	}

}
