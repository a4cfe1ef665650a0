package io.brainplane.search.internal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The automatic verdict of a search. The recording settings under the same prefix belong
 * to the quality module.
 *
 * @param minScore the normalised relevance (0..1) the best result must reach for the
 * search to count as a hit: its BM25 score divided by the most the query's terms can
 * score on chunk text (see {@code docs/quality.md})
 * @param minSimilarity the cosine similarity (-1..1) between the query and the nearest
 * chunk that makes a semantic or hybrid search a hit
 */
@Validated
@ConfigurationProperties("brain.hits")
public record HitVerdictProperties(@DefaultValue("0.2") @DecimalMin("0") @DecimalMax("1") double minScore,
		@DefaultValue("0.35") @DecimalMin("-1") @DecimalMax("1") double minSimilarity) {
}
