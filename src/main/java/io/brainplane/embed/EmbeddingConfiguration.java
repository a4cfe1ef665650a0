package io.brainplane.embed;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

}
