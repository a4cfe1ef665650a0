package io.brainplane.embed.internal;

import io.brainplane.platform.PlatformProperties;
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
public class EmbeddingConfiguration {

	private static final String DJL_CACHE = "DJL_CACHE_DIR";

	@Bean
	@ConditionalOnProperty(name = "brain.embedding.provider", havingValue = "local", matchIfMissing = true)
	LocalEmbeddingProvider localEmbeddingProvider(EmbeddingProperties properties, PlatformProperties platform) {
		// The tokenizer's native library is unpacked into DJL's cache, by default under
		// the home directory; keep it with the rest of this replica's state instead.
		if (System.getProperty(DJL_CACHE) == null && System.getenv(DJL_CACHE) == null) {
			System.setProperty(DJL_CACHE, platform.dataDir().resolve("cache").resolve("djl").toString());
		}
		// ONNX Runtime's libraries likewise, unpacked once rather than into a new
		// temporary
		// directory on every start, which a killed process leaves behind
		OnnxRuntimeNatives.install(platform.dataDir().resolve("cache"));
		return new LocalEmbeddingProvider(properties.model(), properties.effectiveThreads(), properties.batchSize());
	}

	@Bean
	@ConditionalOnProperty(name = "brain.embedding.provider", havingValue = "openai")
	OpenAiEmbeddingProvider openAiEmbeddingProvider(EmbeddingProperties properties, RestClient.Builder restClients,
			CircuitBreakerRegistry breakers, RetryRegistry retries, MeterRegistry meters) {
		return new OpenAiEmbeddingProvider(properties.openai(), restClients, breakers, retries, meters);
	}

}
