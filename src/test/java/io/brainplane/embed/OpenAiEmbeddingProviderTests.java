package io.brainplane.embed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.lang.Nullable;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.brainplane.embed.internal.EmbeddingConfiguration;
import io.brainplane.embed.internal.EmbeddingProperties;
import io.brainplane.embed.internal.LocalEmbeddingProvider;
import io.brainplane.embed.internal.OpenAiEmbeddingProvider;

/**
 * The openai provider against a real HTTP server on a loopback port, scripted per test.
 */
class OpenAiEmbeddingProviderTests {

	private static final String KEY = "sk-test-0123456789-secret";

	private static final String SECRET_TEXT = "confidential paragraph about project falcon";

	private static final ObjectMapper json = new ObjectMapper();

	private final FakeEndpoint endpoint = new FakeEndpoint();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private CircuitBreakerRegistry breakers;

	@BeforeEach
	void startServer() throws IOException {
		this.endpoint.start();
		this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(4)
			.minimumNumberOfCalls(4)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofMinutes(1))
			.build());
	}

	@AfterEach
	void stopServer() {
		this.endpoint.stop();
	}

	@Test
	void modelNamesTheEndpointModelAndDimensions() {
		assertThat(provider(properties(2, Duration.ofSeconds(2), 3)).model()).isEqualTo("openai:test-embed@3");
		assertThat(provider(new EmbeddingProperties.OpenAi(this.endpoint.baseUrl(), "test-embed", null, null, 2,
				Duration.ofSeconds(2), Duration.ofSeconds(1), 6000, 3, Duration.ofMillis(50)))
			.model()).isEqualTo("openai:test-embed");
	}

	@Test
	void embedSplitsIntoBatchesAndOrdersVectorsByIndex() {
		this.endpoint.answer(FakeEndpoint::vectorsInReverseOrder);
		OpenAiEmbeddingProvider provider = provider(properties(2, Duration.ofSeconds(2), 3));

		List<float[]> vectors = provider.embed(List.of("a", "bb", "ccc", "dddd", "eeeee"));

		assertThat(vectors).hasSize(5);
		for (int i = 0; i < 5; i++) {
			assertThat(vectors.get(i)[0]).as("vector %d", i).isEqualTo(i + 1f);
		}
		assertThat(this.endpoint.requests).hasSize(3);
		Recorded first = this.endpoint.requests.get(0);
		assertThat(first.method()).isEqualTo("POST");
		assertThat(first.path()).isEqualTo("/v1/embeddings");
		assertThat(first.authorization()).isEqualTo("Bearer " + KEY);
		assertThat(first.body().get("model").asText()).isEqualTo("test-embed");
		assertThat(first.body().get("dimensions").asInt()).isEqualTo(3);
		assertThat(first.body().get("encoding_format").asText()).isEqualTo("float");
		assertThat(this.endpoint.inputs()).containsExactly(List.of("a", "bb"), List.of("ccc", "dddd"),
				List.of("eeeee"));
		assertThat(this.meters.get("brain.embedding.requests").tag("outcome", "success").timer().count()).isEqualTo(3);
		assertThat(this.meters.get("brain.embedding.texts").counter().count()).isEqualTo(5);
	}

	@Test
	void noKeyMeansNoAuthorizationHeaderAndNoDimensions() {
		this.endpoint.answer(FakeEndpoint::vectorsInReverseOrder);
		OpenAiEmbeddingProvider provider = provider(
				new EmbeddingProperties.OpenAi(this.endpoint.baseUrl(), "test-embed", null, null, 8,
						Duration.ofSeconds(2), Duration.ofSeconds(1), 6000, 3, Duration.ofMillis(50)));

		assertThat(provider.embedQuery("hello")).containsExactly(5f, 0f);

		assertThat(this.endpoint.requests).singleElement().satisfies((request) -> {
			assertThat(request.authorization()).isNull();
			assertThat(request.body().has("dimensions")).isFalse();
		});
	}

	@Test
	void tooManyRequestsWaitsForRetryAfterThenSucceeds() {
		this.endpoint.answer(Reply.status(429).header("Retry-After", "1"), FakeEndpoint::vectorsInReverseOrder);
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofSeconds(2), 3));

		long started = System.nanoTime();
		List<float[]> vectors = provider.embed(List.of("one", "three"));
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(vectors).extracting((vector) -> vector[0]).containsExactly(3f, 5f);
		assertThat(this.endpoint.requests).hasSize(2);
		// the backoff is 50 ms: only the Retry-After header explains a wait of a second
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950));
	}

	@Test
	void repeatedServerErrorsOpenTheBreakerWhichThenFailsFastWithoutCallingTheEndpoint() {
		this.endpoint.answer(Reply.status(500).body("{\"error\":{\"message\":\"boom\"}}"));
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofSeconds(2), 2));

		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).isEqualTo("embedding endpoint answered 500 after 2 attempts");
				assertThat(failure.retryable()).isTrue();
				assertSafe(failure);
			});
		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)));
		assertThat(this.endpoint.requests).hasSize(4);
		assertThat(this.breakers.circuitBreaker(OpenAiEmbeddingProvider.NAME).getState())
			.isEqualTo(CircuitBreaker.State.OPEN);

		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).contains("circuit breaker embedding is open");
				assertThat(failure.retryable()).isTrue();
				assertSafe(failure);
			});
		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embedQuery(SECRET_TEXT))
			.withMessageContaining("circuit breaker embedding is open");
		assertThat(this.endpoint.requests).hasSize(4);
		assertThat(this.meters.get("brain.embedding.requests").tag("outcome", "failure").timer().count()).isEqualTo(4);
	}

	@Test
	void slowEndpointTimesOutAsRetryableFailureAfterRetrying() {
		this.endpoint.answer(Reply.status(200).delay(Duration.ofSeconds(5)));
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofMillis(200), 2));

		long started = System.nanoTime();
		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)))
			.satisfies((failure) -> {
				assertThat(failure.getMessage())
					.isEqualTo("embedding endpoint timed out after 200ms on each of 2 attempts");
				assertThat(failure.retryable()).isTrue();
				assertSafe(failure);
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		assertThat(this.endpoint.requests).hasSize(2);
	}

	@Test
	void refusedKeyFailsAtOnceWithoutRetry() {
		// OpenAI echoes part of a wrong key in its error body: it must not reach the
		// message
		this.endpoint.answer(Reply.status(401)
			.body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
					+ "\",\"code\":\"invalid_api_key\"}}"));
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofSeconds(2), 4));

		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).isEqualTo("embedding endpoint refused the key (401)");
				assertThat(failure.retryable()).isFalse();
				assertSafe(failure);
			});
		assertThat(this.endpoint.requests).hasSize(1);
	}

	@Test
	void refusedInputFailsWithoutRetryAndDoesNotCountAgainstTheBreaker() {
		this.endpoint.answer(Reply.status(400).body("{\"error\":{\"message\":\"too long: " + SECRET_TEXT + "\"}}"));
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofSeconds(2), 4));

		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)))
				.satisfies((failure) -> {
					assertThat(failure.getMessage()).startsWith("embedding endpoint answered 400");
					assertThat(failure.retryable()).isFalse();
					assertSafe(failure);
				});
		}
		assertThat(this.endpoint.requests).hasSize(5);
		CircuitBreaker breaker = this.breakers.circuitBreaker(OpenAiEmbeddingProvider.NAME);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void malformedBodyFailsClearly() {
		this.endpoint.answer(Reply.status(200).body("<html>gateway says hi</html>"));
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofSeconds(2), 3));

		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).isEqualTo("embedding endpoint answered with an unreadable body");
				assertThat(failure.retryable()).isFalse();
				assertSafe(failure);
			});
		assertThat(this.endpoint.requests).hasSize(1);
	}

	@Test
	void wrongNumberOfVectorsFailsClearly() {
		this.endpoint.answer(Reply.status(200)
			.body("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[1.0,2.0]}],"
					+ "\"model\":\"test-embed\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}"));
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofSeconds(2), 3));

		assertThatExceptionOfType(EmbeddingFailure.class)
			.isThrownBy(() -> provider.embed(List.of(SECRET_TEXT, "second")))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).isEqualTo("embedding endpoint returned 1 vectors for 2 texts");
				assertThat(failure.retryable()).isFalse();
				assertSafe(failure);
			});
	}

	@Test
	void unreachableEndpointIsRetryable() {
		URI closed = this.endpoint.baseUrl();
		this.endpoint.stop();
		OpenAiEmbeddingProvider provider = provider(new EmbeddingProperties.OpenAi(closed, "test-embed", KEY, null, 8,
				Duration.ofSeconds(2), Duration.ofSeconds(1), 6000, 2, Duration.ofMillis(20)));

		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embed(List.of(SECRET_TEXT)))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).startsWith("embedding endpoint unreachable")
					.endsWith("after 2 attempts");
				assertThat(failure.retryable()).isTrue();
				assertSafe(failure);
			});
	}

	@Test
	void embedQueryDoesNotRetry() {
		this.endpoint.answer(Reply.status(503));
		OpenAiEmbeddingProvider provider = provider(properties(8, Duration.ofSeconds(2), 4));

		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embedQuery(SECRET_TEXT))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).isEqualTo("embedding endpoint answered 503");
				assertThat(failure.retryable()).isTrue();
				assertSafe(failure);
			});
		assertThat(this.endpoint.requests).hasSize(1);
	}

	@Test
	void embedQueryUsesTheShorterQueryTimeout() {
		this.endpoint.answer(Reply.status(200).delay(Duration.ofSeconds(5)));
		OpenAiEmbeddingProvider provider = provider(
				new EmbeddingProperties.OpenAi(this.endpoint.baseUrl(), "test-embed", KEY, null, 8,
						Duration.ofSeconds(10), Duration.ofMillis(150), 6000, 3, Duration.ofMillis(50)));

		long started = System.nanoTime();
		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embedQuery(SECRET_TEXT))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).isEqualTo("embedding endpoint timed out after 150ms");
				assertThat(failure.retryable()).isTrue();
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.endpoint.requests).hasSize(1);
	}

	@Test
	void embedQueryDoesNotWaitForTheRateLimit() {
		this.endpoint.answer(FakeEndpoint::vectorsInReverseOrder);
		OpenAiEmbeddingProvider provider = provider(new EmbeddingProperties.OpenAi(this.endpoint.baseUrl(),
				"test-embed", KEY, null, 8, Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 3, Duration.ofMillis(50)));

		assertThat(provider.embedQuery("first")).containsExactly(5f, 0f);
		long started = System.nanoTime();
		assertThatExceptionOfType(EmbeddingFailure.class).isThrownBy(() -> provider.embedQuery("second"))
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).contains("rate limit");
				assertThat(failure.retryable()).isTrue();
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
		assertThat(this.endpoint.requests).hasSize(1);
	}

	@Test
	void missingModelFailsAtStartup() {
		assertThatIllegalStateException()
			.isThrownBy(() -> provider(new EmbeddingProperties.OpenAi(this.endpoint.baseUrl(), " ", null, null, 8,
					Duration.ofSeconds(2), Duration.ofSeconds(1), 60, 3, Duration.ofMillis(50))))
			.withMessageContaining("brain.embedding.openai.model");
		assertThatIllegalStateException()
			.isThrownBy(() -> provider(new EmbeddingProperties.OpenAi(null, "test-embed", null, null, 8,
					Duration.ofSeconds(2), Duration.ofSeconds(1), 60, 3, Duration.ofMillis(50))))
			.withMessageContaining("brain.embedding.openai.base-url");
	}

	@Test
	void providerOpenaiWiresTheOpenAiProviderAndFailsAtStartupWithoutAModel() {
		ApplicationContextRunner context = new ApplicationContextRunner()
			.withUserConfiguration(EmbeddingConfiguration.class, Collaborators.class)
			.withPropertyValues("brain.embedding.provider=openai",
					"brain.embedding.openai.base-url=" + this.endpoint.baseUrl());
		context.run((started) -> {
			assertThat(started).hasSingleBean(OpenAiEmbeddingProvider.class)
				.doesNotHaveBean(LocalEmbeddingProvider.class);
			assertThat(started.getBean(EmbeddingProvider.class).model()).isEqualTo("openai:text-embedding-3-small");
		});
		context.withPropertyValues("brain.embedding.openai.model=")
			.run((started) -> assertThat(started).getFailure()
				.rootCause()
				.hasMessageContaining("brain.embedding.openai.model"));
	}

	private EmbeddingProperties.OpenAi properties(int batchSize, Duration timeout, int maxAttempts) {
		return new EmbeddingProperties.OpenAi(this.endpoint.baseUrl(), "test-embed", KEY, 3, batchSize, timeout,
				Duration.ofSeconds(1), 6000, maxAttempts, Duration.ofMillis(50));
	}

	private OpenAiEmbeddingProvider provider(EmbeddingProperties.OpenAi properties) {
		return new OpenAiEmbeddingProvider(properties, RestClient.builder(), this.breakers, RetryRegistry.ofDefaults(),
				this.meters);
	}

	/** Neither the key nor the text anywhere in the failure or its causes. */
	private static void assertSafe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(KEY).doesNotContain(SECRET_TEXT);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EmbeddingProperties.class)
	static class Collaborators {

		@Bean
		RestClient.Builder restClientBuilder() {
			return RestClient.builder();
		}

		@Bean
		CircuitBreakerRegistry circuitBreakerRegistry() {
			return CircuitBreakerRegistry.ofDefaults();
		}

		@Bean
		RetryRegistry retryRegistry() {
			return RetryRegistry.ofDefaults();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	record Recorded(String method, String path, @Nullable String authorization, JsonNode body) {

	}

	/** A scripted answer. */
	record Reply(int status, Map<String, String> headers, String body, Duration delay) {

		static Reply status(int status) {
			return new Reply(status, Map.of(), "", Duration.ZERO);
		}

		Reply header(String name, String value) {
			return new Reply(this.status, Map.of(name, value), this.body, this.delay);
		}

		Reply body(String body) {
			return new Reply(this.status, this.headers, body, this.delay);
		}

		Reply delay(Duration delay) {
			return new Reply(this.status, this.headers, this.body, delay);
		}

	}

	/**
	 * The JDK's HTTP server on a random loopback port. Answers with the scripted replies
	 * in turn, the last one for every later request.
	 */
	static final class FakeEndpoint {

		final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

		private final ConcurrentLinkedQueue<Function<Recorded, Reply>> script = new ConcurrentLinkedQueue<>();

		private final CountDownLatch stopped = new CountDownLatch(1);

		private volatile Function<Recorded, Reply> last = (request) -> Reply.status(500);

		private HttpServer server;

		private ExecutorService executor;

		void start() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.executor = Executors.newCachedThreadPool();
			this.server.setExecutor(this.executor);
			this.server.createContext("/", this::handle);
			this.server.start();
		}

		URI baseUrl() {
			return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1");
		}

		void answer(Reply reply) {
			answer((request) -> reply);
		}

		void answer(Reply first, Function<Recorded, Reply> then) {
			answer((request) -> first);
			answer(then);
		}

		void answer(Function<Recorded, Reply> reply) {
			this.script.add(reply);
		}

		List<List<String>> inputs() {
			return this.requests.stream().map(FakeEndpoint::input).toList();
		}

		void stop() {
			if (this.stopped.getCount() == 0) {
				return;
			}
			this.stopped.countDown();
			this.server.stop(0);
			this.executor.shutdownNow();
		}

		private void handle(HttpExchange exchange) throws IOException {
			try (exchange) {
				byte[] bytes = exchange.getRequestBody().readAllBytes();
				JsonNode body = (bytes.length > 0) ? json.readTree(bytes) : json.nullNode();
				Recorded request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
						exchange.getRequestHeaders().getFirst("Authorization"), body);
				this.requests.add(request);
				Function<Recorded, Reply> next = this.script.poll();
				if (next != null) {
					this.last = next;
				}
				Reply reply = this.last.apply(request);
				if (!reply.delay().isZero()) {
					this.stopped.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS);
				}
				reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(reply.status(), (answer.length > 0) ? answer.length : -1);
				if (answer.length > 0) {
					exchange.getResponseBody().write(answer);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static List<String> input(Recorded request) {
			List<String> input = new ArrayList<>();
			request.body().get("input").forEach((text) -> input.add(text.asText()));
			return input;
		}

		/**
		 * One vector per input, {@code [length of the text, position in the request]},
		 * listed last to first as a server may.
		 */
		static Reply vectorsInReverseOrder(Recorded request) {
			List<String> input = input(request);
			StringBuilder data = new StringBuilder();
			for (int i = input.size() - 1; i >= 0; i--) {
				data.append((data.length() > 0) ? "," : "")
					.append("{\"object\":\"embedding\",\"index\":")
					.append(i)
					.append(",\"embedding\":[")
					.append(input.get(i).length())
					.append(".0,")
					.append(i)
					.append(".0]}");
			}
			return Reply.status(200)
				.body("{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"test-embed\","
						+ "\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}");
		}

	}

}
