package io.brainplane.search;

import java.time.Instant;

/**
 * Handed (synchronously, on the request thread) to the {@link SearchRecorder} after every
 * answered search; the recorder must only hand it off, never do I/O.
 *
 * @param client the API key name, or the client address for anonymous calls
 * @param topScore score of the best result, 0 without results
 * @param relevance what the verdict compares with its threshold: for a lexical search the
 * best result's score normalised to 0..1 ({@code brain.hits.min-score}), otherwise the
 * cosine similarity of the nearest chunk ({@code brain.hits.min-similarity})
 * @param mode the mode that answered
 */
public record SearchCompleted(String queryId, long version, String query, int k, SearchGroup group, int resultCount,
		float topScore, boolean hit, double tookMs, String client, Instant at, float relevance, String mode) {
}
