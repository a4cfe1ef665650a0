package io.brainplane.search;

import java.util.Locale;

import io.brainplane.platform.BrainProblem;

import org.springframework.lang.Nullable;

/**
 * How a search ranks: BM25 over words, nearest vectors by meaning, or both fused by
 * Reciprocal Rank Fusion.
 */
public enum SearchMode {

	LEXICAL, SEMANTIC, HYBRID;

	/** The name clients send and see. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The mode a client asked for; null when it asked for none. */
	@Nullable
	static SearchMode parse(@Nullable String mode) {
		if (mode == null || mode.isBlank()) {
			return null;
		}
		for (SearchMode candidate : values()) {
			if (candidate.value().equals(mode.strip().toLowerCase(Locale.ROOT))) {
				return candidate;
			}
		}
		throw BrainProblem.invalid("mode", "must be \"lexical\", \"semantic\" or \"hybrid\"");
	}

}
