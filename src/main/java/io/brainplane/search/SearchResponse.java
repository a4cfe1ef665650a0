package io.brainplane.search;

import java.util.List;

/**
 * The answer to a search.
 *
 * @param hit the automatic verdict: whether the search found something worth using
 */
public record SearchResponse(String queryId, long version, double tookMs, boolean hit, List<SearchHit> results) {
}
