package io.brainplane.support;

import io.brainplane.embed.EmbeddingProvider;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Wraps the test context's embedding provider in {@link RecordedEmbeddings}, so texts
 * whose vectors were recorded from the same model are not embedded again.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RecordedEmbeddingsConfiguration {

	@Bean
	static BeanPostProcessor recordedEmbeddings() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof EmbeddingProvider provider && !(bean instanceof RecordedEmbeddings))
						? new RecordedEmbeddings(provider) : bean;
			}

		};
	}

}
