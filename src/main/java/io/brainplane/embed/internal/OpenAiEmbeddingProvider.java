package io.brainplane.embed.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.lang.Nullable;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import io.brainplane.embed.EmbeddingFailure;
import io.brainplane.embed.EmbeddingProvider;

/**
 * Any OpenAI-compatible {@code /embeddings} endpoint (OpenAI, Azure-style proxies, vLLM,
 * Ollama, LiteLLM). Each request goes through a client-side token bucket
 * ({@code requests-per-minute}), the Resilience4j circuit breaker {@value #NAME} and, for
 * ingestion, a retry with exponential backoff (timeouts, connection errors, 429 and 5xx;
 * a 429's {@code Retry-After} is honoured). Every failure is an {@link EmbeddingFailure}
 * whose message names the status or the timeout, never the key, the texts or the
 * endpoint's error body (OpenAI echoes part of a wrong key there).
 */
public class OpenAiEmbeddingProvider implements EmbeddingProvider {

	public static final String NAME = "embedding";

	static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(OpenAiEmbeddingProvider.class);

	private final EmbeddingProperties.OpenAi properties;

	private final URI endpoint;

	private final RestClient ingestion;

	private final RestClient queries;

	private final Bucket bucket;

	private final CircuitBreaker breaker;

	private final Retry retry;

	private final Timer succeeded;

	private final Timer failed;

	private final Counter texts;

	public OpenAiEmbeddingProvider(EmbeddingProperties.OpenAi properties, RestClient.Builder restClients,
			CircuitBreakerRegistry breakers, RetryRegistry retries, MeterRegistry meters) {
		this.properties = properties;
		this.endpoint = endpoint(properties);
		this.ingestion = client(restClients, properties.timeout());
		this.queries = client(restClients, properties.queryTimeout());
		long perMinute = properties.requestsPerMinute();
		this.bucket = Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
			.build();
		this.breaker = breakers.circuitBreaker(NAME);
		this.retry = retries.retry(NAME, retryConfig(properties));
		this.succeeded = requestTimer(meters, "success");
		this.failed = requestTimer(meters, "failure");
		this.texts = Counter.builder("brain.embedding.texts")
			.description("Texts embedded by the embedding endpoint")
			.register(meters);
		log.info("Embedding with {} ({})", model(), properties);
	}

	private static URI endpoint(EmbeddingProperties.OpenAi properties) {
		if (properties.baseUrl() == null || properties.baseUrl().toString().isBlank()) {
			throw new IllegalStateException(
					"brain.embedding.provider=openai needs brain.embedding.openai.base-url (for example https://api.openai.com/v1)");
		}
		if (properties.model() == null || properties.model().isBlank()) {
			throw new IllegalStateException(
					"brain.embedding.provider=openai needs brain.embedding.openai.model (for example text-embedding-3-small)");
		}
		String base = properties.baseUrl().toString();
		return URI.create((base.endsWith("/") ? base : base + "/") + "embeddings");
	}

	private static RestClient client(RestClient.Builder restClients, Duration timeout) {
		// HTTP/1.1: the JDK client's h2c upgrade on plain http trips some local servers
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(timeout);
		return restClients.clone().requestFactory(requests).build();
	}

	private static RetryConfig retryConfig(EmbeddingProperties.OpenAi properties) {
		IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(properties.backoff(), 2);
		IntervalBiFunction<Object> interval = (attempt, outcome) -> {
			if (outcome.isLeft() && outcome.getLeft() instanceof EndpointError error && error.retryAfter != null) {
				return error.retryAfter.toMillis();
			}
			return backoff.apply(attempt);
		};
		return RetryConfig.custom()
			.maxAttempts(properties.maxAttempts())
			.intervalBiFunction(interval)
			.retryOnException((ex) -> ex instanceof EndpointError error && error.retryable)
			.build();
	}

	private static Timer requestTimer(MeterRegistry meters, String outcome) {
		return Timer.builder("brain.embedding.requests")
			.description("Requests to the embedding endpoint")
			.tag("outcome", outcome)
			.register(meters);
	}

	@Override
	public String model() {
		String model = "openai:" + this.properties.model();
		return (this.properties.dimensions() != null) ? model + "@" + this.properties.dimensions() : model;
	}

	@Override
	public int batchSize() {
		return this.properties.batchSize();
	}

	@Override
	public List<float[]> embed(List<String> texts) {
		List<float[]> vectors = new ArrayList<>(texts.size());
		for (int from = 0; from < texts.size(); from += batchSize()) {
			List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize()));
			vectors.addAll(embedBatch(batch));
		}
		return vectors;
	}

	private List<float[]> embedBatch(List<String> batch) {
		int[] attempts = { 0 };
		Supplier<List<float[]>> attempt = () -> {
			attempts[0]++;
			awaitToken();
			return guarded(this.ingestion, batch);
		};
		try {
			return this.retry.executeSupplier(attempt);
		}
		catch (RuntimeException ex) {
			throw failure(ex, attempts[0], this.properties.timeout());
		}
	}

	@Override
	public float[] embedQuery(String text) {
		// a search is waiting: no retry, no waiting for the rate limit
		if (!this.bucket.tryConsume(1)) {
			throw new EmbeddingFailure("embedding rate limit (brain.embedding.openai.requests-per-minute="
					+ this.properties.requestsPerMinute() + ") reached: query not embedded", true);
		}
		try {
			return guarded(this.queries, List.of(text)).get(0);
		}
		catch (RuntimeException ex) {
			throw failure(ex, 1, this.properties.queryTimeout());
		}
	}

	private void awaitToken() {
		try {
			this.bucket.asBlocking().consume(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddingFailure("interrupted while waiting for the embedding rate limit", true);
		}
	}

	/** One request through the circuit breaker. */
	private List<float[]> guarded(RestClient client, List<String> batch) {
		return this.breaker.executeSupplier(() -> {
			try {
				return new Answer(post(client, batch), null);
			}
			catch (EndpointError ex) {
				if (ex.rejectsInput) {
					return new Answer(null, ex);
				}
				throw ex;
			}
		}).vectorsOrThrow();
	}

	/** One request; throws {@link EndpointError} for any answer but the vectors. */
	private List<float[]> post(RestClient client, List<String> batch) {
		long started = System.nanoTime();
		boolean success = false;
		try {
			List<float[]> vectors = client.post()
				.uri(this.endpoint)
				.headers(this::authorize)
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.body(requestBody(batch))
				.exchange((request, response) -> {
					int status = response.getStatusCode().value();
					if (status / 100 != 2) {
						throw EndpointError.forStatus(status, response.getHeaders().getFirst("Retry-After"));
					}
					return vectors(read(() -> response.bodyTo(EmbeddingResponse.class)), batch.size());
				});
			success = true;
			this.texts.increment(batch.size());
			return vectors;
		}
		catch (RestClientException ex) {
			throw EndpointError.io(ex);
		}
		finally {
			(success ? this.succeeded : this.failed).record(Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private void authorize(HttpHeaders headers) {
		String key = this.properties.apiKey();
		if (key != null && !key.isBlank()) {
			headers.setBearerAuth(key);
		}
	}

	private Map<String, Object> requestBody(List<String> batch) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", this.properties.model());
		// OpenAI rejects an empty input string, but every chunk needs a vector
		body.put("input", batch.stream().map((text) -> text.isBlank() ? "." : text).toList());
		if (this.properties.dimensions() != null) {
			body.put("dimensions", this.properties.dimensions());
		}
		body.put("encoding_format", "float");
		return body;
	}

	private static EmbeddingResponse read(Supplier<EmbeddingResponse> body) {
		try {
			return body.get();
		}
		catch (RestClientException ex) {
			throw EndpointError.broken("embedding endpoint answered with an unreadable body", ex);
		}
	}

	private static List<float[]> vectors(@Nullable EmbeddingResponse response, int expected) {
		if (response == null || response.data() == null) {
			throw EndpointError.broken("embedding endpoint answered without data", null);
		}
		if (response.data().size() != expected) {
			throw EndpointError.broken(
					"embedding endpoint returned " + response.data().size() + " vectors for " + expected + " texts",
					null);
		}
		float[][] ordered = new float[expected][];
		for (EmbeddingResponse.Item item : response.data()) {
			if (item == null || item.index() < 0 || item.index() >= expected || ordered[item.index()] != null
					|| item.embedding() == null || item.embedding().length == 0) {
				throw EndpointError.broken("embedding endpoint answered with a missing, duplicate or empty vector",
						null);
			}
			ordered[item.index()] = item.embedding();
		}
		return List.of(ordered);
	}

	private EmbeddingFailure failure(RuntimeException ex, int attempts, Duration timeout) {
		if (ex instanceof EmbeddingFailure failure) {
			return failure;
		}
		if (ex instanceof CallNotPermittedException) {
			Duration open = Duration
				.ofMillis(this.breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
			return EmbeddingFailure.notAttempted(
					"circuit breaker " + NAME
							+ " is open after repeated failures of the embedding endpoint: request not attempted",
					open);
		}
		if (ex instanceof EndpointError error) {
			boolean retried = error.retryable && attempts > 1;
			String message = error.timedOut
					? "embedding endpoint timed out after " + describe(timeout)
							+ (retried ? " on each of " + attempts + " attempts" : "")
					: error.getMessage() + (retried ? " after " + attempts + " attempts" : "");
			return new EmbeddingFailure(message, error.retryable, error.getCause());
		}
		return new EmbeddingFailure("embedding failed: " + ex.getClass().getSimpleName(), false);
	}

	private static String describe(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	/**
	 * What went wrong with one request. The message is built here from the status or the
	 * exception type alone.
	 */
	static final class EndpointError extends RuntimeException {

		final boolean retryable;

		final boolean timedOut;

		/** The endpoint works but refuses this input: not held against the breaker. */
		final boolean rejectsInput;

		@Nullable
		final Duration retryAfter;

		private EndpointError(String message, boolean retryable, boolean timedOut, boolean rejectsInput,
				@Nullable Duration retryAfter, @Nullable Throwable cause) {
			super(message, cause, false, false);
			this.retryable = retryable;
			this.timedOut = timedOut;
			this.rejectsInput = rejectsInput;
			this.retryAfter = retryAfter;
		}

		static EndpointError broken(String message, @Nullable Throwable cause) {
			return new EndpointError(message, false, false, false, null, cause);
		}

		static EndpointError forStatus(int status, @Nullable String retryAfter) {
			String answered = "embedding endpoint answered " + status;
			return switch (status) {
				case 401, 403 -> new EndpointError("embedding endpoint refused the key (" + status + ")", false, false,
						false, null, null);
				case 404 ->
					broken("embedding endpoint not found (404): check brain.embedding.openai.base-url and model", null);
				case 408, 429 -> new EndpointError(answered, true, false, false, parseRetryAfter(retryAfter), null);
				case 400, 413, 422 ->
					new EndpointError(answered + ": the endpoint refused the input", false, false, true, null, null);
				default ->
					(status >= 500) ? new EndpointError(answered, true, false, false, parseRetryAfter(retryAfter), null)
							: broken(answered, null);
			};
		}

		static EndpointError io(RestClientException ex) {
			Throwable cause = ex;
			while (cause != null) {
				if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
					return new EndpointError("embedding endpoint timed out", true, true, false, null, ex);
				}
				cause = cause.getCause();
			}
			if (ex.getCause() instanceof IOException io) {
				return new EndpointError("embedding endpoint unreachable (" + io.getClass().getSimpleName() + ")", true,
						false, false, null, ex);
			}
			return broken("embedding request failed (" + ex.getClass().getSimpleName() + ")", ex);
		}

		@Nullable
		private static Duration parseRetryAfter(@Nullable String value) {
			if (value == null) {
				return null;
			}
			try {
				long seconds = Long.parseLong(value.trim());
				return (seconds < 0) ? null
						: (seconds > MAX_RETRY_AFTER.toSeconds()) ? MAX_RETRY_AFTER : Duration.ofSeconds(seconds);
			}
			catch (NumberFormatException ex) {
				// an HTTP date: fall back to the exponential backoff
				return null;
			}
		}

	}

	/**
	 * Vectors, or the endpoint's refusal of this input, which the breaker counts as a
	 * success.
	 */
	private record Answer(@Nullable List<float[]> vectors, @Nullable EndpointError rejected) {

		List<float[]> vectorsOrThrow() {
			if (this.rejected != null) {
				throw this.rejected;
			}
			return this.vectors;
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record EmbeddingResponse(List<Item> data) {

		@JsonIgnoreProperties(ignoreUnknown = true)
		record Item(int index, float[] embedding) {

		}

	}

}
