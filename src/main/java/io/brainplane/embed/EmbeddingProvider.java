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

}
