package io.brainplane.search;

import java.util.List;

import org.springframework.lang.Nullable;

/**
 * The answer to a search.
 *
 * @param queryId identifies the recorded search for feedback; null when a version other
 * than the served one was searched (such searches are not recorded)
 * @param hit the automatic verdict: whether the search found something worth using
 * @param mode the mode that answered: {@code lexical}, {@code semantic} or {@code hybrid}
 */
public record SearchResponse(@Nullable String queryId, long version, double tookMs, boolean hit, String mode,
		List<SearchHit> results) {
}
