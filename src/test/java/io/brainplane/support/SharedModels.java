package io.brainplane.support;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.brainplane.embed.internal.EmbeddingProperties;
import io.brainplane.embed.internal.LocalEmbeddingProvider;
import io.brainplane.embed.internal.OnnxRuntimeNativesAccess;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The in-process embedding models of a test JVM, each loaded once and shared by the test
 * context ({@link IntegrationTest}) and every {@link SecondReplica} with the same model,
 * threads and batch size, instead of being loaded at each of the suite's many application
 * starts (0.3-2 s each). A model is thread-safe and holds no replica state; it is never
 * closed with a context. Each is wrapped in {@link RecordedEmbeddings}, so the Cranfield
 * texts are answered from their recording in every context alike.
 * <p>
 * A context's own bean definition is kept, so whether it has a local model still follows
 * its configuration ({@code brain.embedding.provider}).
 */
public final class SharedModels {

	/** The bean {@code EmbeddingConfiguration} declares for the local model. */
	static final String LOCAL_MODEL_BEAN = "localEmbeddingProvider";

	private static final Map<String, RecordedEmbeddings> MODELS = new ConcurrentHashMap<>();

	private SharedModels() {
	}

	/**
	 * Replaces the context's local model, when its configuration has one, with the shared
	 * one for its {@code brain.embedding} settings.
	 */
	static BeanFactoryPostProcessor registrar(Environment environment) {
		return (beans) -> {
			if (beans.containsBeanDefinition(LOCAL_MODEL_BEAN)) {
				beans.registerSingleton(LOCAL_MODEL_BEAN, model(environment));
			}
		};
	}

	/** The model for the environment's {@code brain.embedding} settings, loaded once. */
	static RecordedEmbeddings model(Environment environment) {
		EmbeddingProperties properties = Binder.get(environment)
			.bindOrCreate("brain.embedding", EmbeddingProperties.class);
		String key = properties.model().id() + "/" + properties.effectiveThreads() + "/" + properties.batchSize();
		return MODELS.computeIfAbsent(key, (name) -> {
			// as EmbeddingConfiguration does: the tokenizer's and ONNX Runtime's native
			// libraries are unpacked under the data directory, not the home or /tmp
			Path cache = Path.of(environment.getRequiredProperty("brain.data-dir"), "cache");
			if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
				System.setProperty("DJL_CACHE_DIR", cache.resolve("djl").toString());
			}
			OnnxRuntimeNativesAccess.install(cache);
			return new RecordedEmbeddings(new LocalEmbeddingProvider(properties.model(), properties.effectiveThreads(),
					properties.batchSize()));
		});
	}

}
