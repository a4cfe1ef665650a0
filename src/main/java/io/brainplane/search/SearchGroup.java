package io.brainplane.search;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import io.brainplane.platform.BrainProblem;

import org.springframework.lang.Nullable;

/**
 * What a search returns: the best chunks, or the best documents (each with its best
 * chunk).
 */
public enum SearchGroup {

	CHUNK, DOCUMENT;

	/** The name clients send and see, and the hit log stores. */
	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The grouping a client asked for ({@code chunk} when it asked for none).
	 * @throws BrainProblem 400 for anything else
	 */
	public static SearchGroup parse(@Nullable String group) {
		if (group == null || group.isBlank()) {
			return CHUNK;
		}
		for (SearchGroup candidate : values()) {
			if (candidate.value().equals(group)) {
				return candidate;
			}
		}
		throw BrainProblem.invalid("group", "must be \"chunk\" or \"document\"");
	}

}
