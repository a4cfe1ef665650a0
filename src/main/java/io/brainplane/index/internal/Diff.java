package io.brainplane.index.internal;

import java.util.List;

/**
 * What changed between two versions, by document key.
 */
public record Diff(long from, long to, Keys added, Keys removed, Keys changed, Count unchanged) {

	/**
	 * A count and the first keys (sorted, capped by the request's limit).
	 */
	public record Keys(long count, List<String> keys) {
	}

	public record Count(long count) {
	}

}
