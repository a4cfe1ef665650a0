package io.brainplane.search;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code brain.hits}, in one record: the automatic verdict of a search
 * (decided here, in the search module) and the recording of searches in {@code rag_hits}
 * (done by the quality module, which depends on this one).
 *
 * @param enabled whether searches are recorded at all (off only to measure what recording
 * costs; the verdict counters, metrics windows, health checks and auto-rollback need it)
 * @param storeQueryText whether the query text is stored; when false only its SHA-256 is
 * @param retention how long raw records are kept (the per-minute rollups stay)
 * @param queueCapacity most records waiting for the writer; beyond it new records are
 * dropped and counted in {@code brain.hits.dropped{reason="queue-full"}}
 * @param batchSize most records written in one statement batch
 * @param rollupInterval how often the per-minute rollups are brought up to date
 * @param minScore the normalised relevance (0..1) the best result must reach for the
 * search to count as a hit: its BM25 score divided by the most the query's terms can
 * score on chunk text (see {@code docs/quality.md})
 * @param minSimilarity the cosine similarity (-1..1) between the query and the nearest
 * chunk that makes a semantic or hybrid search a hit; unset (the default), the embedding
 * model's own ({@link io.brainplane.embed.EmbeddingProvider#hitSimilarity()}: 0.35 for
 * all-MiniLM-L6-v2, 0.62 for bge-small-en-v1.5, 0.35 for a remote model), since models
 * place unrelated texts at very different similarities
 */
@Validated
@ConfigurationProperties("brain.hits")
public record HitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean storeQueryText,
		@DefaultValue("7d") Duration retention, @DefaultValue("10000") @Min(1) @Max(1_000_000) int queueCapacity,
		@DefaultValue("500") @Min(1) @Max(10_000) int batchSize, @DefaultValue("30s") Duration rollupInterval,
		@DefaultValue("0.2") @DecimalMin("0") @DecimalMax("1") double minScore,
		@Nullable @DecimalMin("-1") @DecimalMax("1") Double minSimilarity) {
}
