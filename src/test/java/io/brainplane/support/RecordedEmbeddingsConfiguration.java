package io.brainplane.support;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The test context's local embedding model is the JVM's shared one
 * ({@link SharedModels}): loaded once for the context and the replicas the tests start,
 * and wrapped in {@link RecordedEmbeddings}, so texts whose vectors were recorded from
 * the same model are not embedded again.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RecordedEmbeddingsConfiguration {

	@Bean
	static BeanFactoryPostProcessor sharedRecordedModel() {
		return new SharedModelRegistrar();
	}

	private static final class SharedModelRegistrar implements BeanFactoryPostProcessor, EnvironmentAware {

		private Environment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beans) throws BeansException {
			SharedModels.registrar(this.environment).postProcessBeanFactory(beans);
		}

	}

}
