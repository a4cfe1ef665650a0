package io.brainplane.search;

import java.util.List;

/**
 * The answer to a search.
 *
 * @param hit the automatic verdict: whether the search found something worth using
 * @param mode the mode that answered: {@code lexical}, {@code semantic} or {@code hybrid}
 */
public record SearchResponse(String queryId, long version, double tookMs, boolean hit, String mode,
		List<SearchHit> results) {
}
