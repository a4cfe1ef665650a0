package io.brainplane.embed;

import java.util.List;

/**
 * Turns text into vectors. Implementations are thread-safe. Vectors need not be
 * normalised; callers use {@link Vectors#normalize(float[])}.
 */
public interface EmbeddingProvider {

	/**
	 * The model's identity as recorded on a version, for example
	 * {@code local:all-minilm-l6-v2-q} or {@code openai:text-embedding-3-small}: vectors
	 * from two providers with the same name are interchangeable.
	 */
	String model();

	/** Texts a caller should send in one {@link #embed(List)} call for throughput. */
	int batchSize();

	/**
	 * Embeds a batch for ingestion: may retry and wait (rate limits, backoff).
	 * @return one vector per text, in order
	 * @throws EmbeddingFailure when the texts cannot be embedded now
	 */
	List<float[]> embed(List<String> texts);

	/**
	 * Embeds one search query: fails fast rather than waiting, since a search is waiting.
	 * @throws EmbeddingFailure when the query cannot be embedded now
	 */
	float[] embedQuery(String text);

	/**
	 * The cosine similarity between a query and its nearest chunk from which this model's
	 * vectors say they are about the same thing: the default of
	 * {@code brain.hits.min-similarity}, which decides whether a semantic or hybrid
	 * search is a hit. Models differ widely here (bge-small puts unrelated texts at 0.5
	 * and more, all-MiniLM-L6-v2 near 0.1), so each in-process model brings its own,
	 * measured on on- and off-topic questions (docs/quality.md); a remote model gets
	 * {@link #DEFAULT_HIT_SIMILARITY} unless the property is set.
	 */
	default double hitSimilarity() {
		return DEFAULT_HIT_SIMILARITY;
	}

	/** The hit threshold of a model nobody measured. */
	double DEFAULT_HIT_SIMILARITY = 0.35;

}
