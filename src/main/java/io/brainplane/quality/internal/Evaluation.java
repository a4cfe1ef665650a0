package io.brainplane.quality.internal;

import java.time.Instant;

/**
 * How a version answered an evaluation set, as stored on the version.
 *
 * @param k results looked at per query (documents, each once)
 * @param queries how many queries were asked
 * @param hitRate share of queries with at least one relevant document in the top k
 * @param mrr mean reciprocal rank of the first relevant document (0 when none in the top
 * k)
 * @param recall mean share of each query's relevant documents found in the top k
 */
public record Evaluation(String set, long version, int k, int queries, double hitRate, double mrr, double recall,
		Instant evaluatedAt) {
}
