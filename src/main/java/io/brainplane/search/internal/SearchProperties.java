package io.brainplane.search.internal;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Search and its result cache.
 *
 * @param cacheSize most cached result lists (0 turns the cache off)
 * @param cacheTtl how long a cached result list lives; entries are keyed by version, so a
 * switch never serves another version's results whatever this is
 * @param maxQueryTerms distinct terms of a query that are searched; the rest are ignored.
 * At most 500: each term is two Lucene clauses and Lucene refuses queries of more than
 * 1024, so a larger value is refused when the configuration is bound.
 * @param fusion how hybrid combines the lexical and the semantic ranking: {@code linear}
 * (a weighted sum of the BM25 scores and the cosine similarities, each normalised by its
 * ranking's distribution; the default, better than RRF on Cranfield with both models) or
 * {@code rrf} (Reciprocal Rank Fusion, ranks only)
 * @param semanticWeight linear fusion's weight of meaning (0..1); words get the rest
 * @param concurrency searches served at once, the rest wait their turn
 * ({@link SearchGate}); 0: four times the processors
 */
@Validated
@ConfigurationProperties("brain.search")
public record SearchProperties(@DefaultValue("10000") @Min(0) long cacheSize, @DefaultValue("10m") Duration cacheTtl,
		@DefaultValue("256") @Min(1) @Max(500) int maxQueryTerms, @DefaultValue("linear") Fusion fusion,
		@DefaultValue("0.5") @DecimalMin("0") @DecimalMax("1") double semanticWeight,
		@DefaultValue("0") @Min(0) int concurrency) {

	@ConstructorBinding
	public SearchProperties {
	}

	/** Settings with {@code concurrency} automatic. */
	public SearchProperties(long cacheSize, Duration cacheTtl, int maxQueryTerms, Fusion fusion,
			double semanticWeight) {
		this(cacheSize, cacheTtl, maxQueryTerms, fusion, semanticWeight, 0);
	}

	/** How hybrid search fuses its two rankings. */
	public enum Fusion {

		RRF, LINEAR

	}

}
