package io.brainplane.embed;

import java.time.Duration;
import java.util.Optional;

import org.springframework.lang.Nullable;

/**
 * Embedding failed. The message is safe to show to an operator: it never holds a key or
 * the text being embedded.
 */
public class EmbeddingFailure extends RuntimeException {

	private final boolean retryable;

	@Nullable
	private final Duration notBefore;

	public EmbeddingFailure(String message, boolean retryable) {
		this(message, retryable, null, null);
	}

	public EmbeddingFailure(String message, boolean retryable, @Nullable Throwable cause) {
		this(message, retryable, cause, null);
	}

	private EmbeddingFailure(String message, boolean retryable, @Nullable Throwable cause,
			@Nullable Duration notBefore) {
		super(message, cause);
		this.retryable = retryable;
		this.notBefore = notBefore;
	}

	/**
	 * Nothing was sent (a circuit breaker is open, say): retryable, not a failed attempt,
	 * and not worth retrying sooner than {@code notBefore}.
	 */
	public static EmbeddingFailure notAttempted(String message, Duration notBefore) {
		return new EmbeddingFailure(message, true, null, notBefore);
	}

	/** For a failure that was not attempted, how long to wait before trying again. */
	public Optional<Duration> notBefore() {
		return Optional.ofNullable(this.notBefore);
	}

	/** Whether trying again later may succeed (timeouts, 429, 5xx, an open breaker). */
	public boolean retryable() {
		return this.retryable;
	}

}
