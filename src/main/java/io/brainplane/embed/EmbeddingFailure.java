package io.brainplane.embed;

/**
 * Embedding failed. The message is safe to show to an operator: it never holds a key or
 * the text being embedded.
 */
public class EmbeddingFailure extends RuntimeException {

	private final boolean retryable;

	public EmbeddingFailure(String message, boolean retryable) {
		super(message);
		this.retryable = retryable;
	}

	public EmbeddingFailure(String message, boolean retryable, Throwable cause) {
		super(message, cause);
		this.retryable = retryable;
	}

	/** Whether trying again later may succeed (timeouts, 429, 5xx, an open breaker). */
	public boolean retryable() {
		return this.retryable;
	}

}
