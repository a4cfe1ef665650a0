package io.brainplane.ops.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Posts a pulse to the configured webhook as Slack-compatible {@code {"text": ...}},
 * through the Resilience4j retry (exponential backoff) and circuit breaker named
 * {@value #NAME}. Every failure comes back as a value whose text never contains the
 * webhook URL, which usually embeds a secret token.
 */
@Component
public class PulseWebhook {

	static final String NAME = "pulse";

	private final PulseProperties properties;

	private final RestClient client;

	private final CircuitBreaker breaker;

	private final Retry retry;

	PulseWebhook(PulseProperties properties, RestClient.Builder builder, CircuitBreakerRegistry breakers,
			RetryRegistry retries) {
		this.properties = properties;
		HttpClient http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(properties.timeout());
		this.client = builder.requestFactory(requests).build();
		this.breaker = breakers.circuitBreaker(NAME);
		this.retry = retries.retry(NAME);
	}

	PulseDelivery post(String text) {
		if (!this.properties.webhookConfigured()) {
			return PulseDelivery.failed("no webhook configured (brain.pulse.webhook-url)");
		}
		Supplier<Void> call = () -> this.client.post()
			.uri(URI.create(this.properties.webhookUrl()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", text))
			.retrieve()
			.toBodilessEntity()
			.getBody();
		try {
			Retry.decorateSupplier(this.retry, CircuitBreaker.decorateSupplier(this.breaker, call)).get();
			return PulseDelivery.ok();
		}
		catch (CallNotPermittedException ex) {
			return PulseDelivery.failed("circuit breaker " + NAME + " is open: delivery not attempted");
		}
		catch (RuntimeException ex) {
			return PulseDelivery.failed("delivery failed after " + this.retry.getRetryConfig().getMaxAttempts()
					+ " attempts: " + describe(ex));
		}
	}

	CircuitBreaker.State state() {
		return this.breaker.getState();
	}

	/** The failure's type and message, with the webhook URL and any other URL removed. */
	private String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : "";
		message = message.replace(this.properties.webhookUrl(), "<webhook-url>")
			.replaceAll("(?i)https?://\\S+", "<url>");
		String type = root.getClass().getSimpleName();
		String described = message.isBlank() ? type : type + ": " + message;
		return (described.length() > 300) ? described.substring(0, 300) : described;
	}

}
