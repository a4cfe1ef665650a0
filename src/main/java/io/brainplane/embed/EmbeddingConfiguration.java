package io.brainplane.embed;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * Chooses the embedding provider from {@code brain.embedding.provider}; with {@code none}
 * there is no provider bean and search stays lexical.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddingConfiguration {

	@Bean
	@ConditionalOnProperty(name = "brain.embedding.provider", havingValue = "local", matchIfMissing = true)
	LocalEmbeddingProvider localEmbeddingProvider(EmbeddingProperties properties) {
		return new LocalEmbeddingProvider(properties.effectiveThreads(), properties.batchSize());
	}

	@Bean
	@ConditionalOnProperty(name = "brain.embedding.provider", havingValue = "openai")
	OpenAiEmbeddingProvider openAiEmbeddingProvider(EmbeddingProperties properties, RestClient.Builder restClients,
			CircuitBreakerRegistry breakers, RetryRegistry retries, MeterRegistry meters) {
		return new OpenAiEmbeddingProvider(properties.openai(), restClients, breakers, retries, meters);
	}

}
