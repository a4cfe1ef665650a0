package io.brainplane.search.internal;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.brainplane.embed.EmbeddingFailure;
import io.brainplane.embed.EmbeddingProvider;
import io.brainplane.embed.Vectors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Query vectors from this replica's embedding provider, cached by model and text (a
 * repeated question costs no model run). A version's vectors can only be searched with a
 * query vector from the same model. A query that is not cached is embedded outside the
 * {@link SearchGate}'s slots.
 */
@Component
public class QueryVectors {

	@Nullable
	private final EmbeddingProvider provider;

	private final Cache<Key, float[]> cache = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterAccess(Duration.ofHours(1))
		.recordStats()
		.build();

	private final SearchGate gate;

	QueryVectors(ObjectProvider<EmbeddingProvider> providers, SearchGate gate, MeterRegistry registry) {
		// resolved once: this is on every search's path
		this.provider = providers.getIfAvailable();
		this.gate = gate;
		CaffeineCacheMetrics.monitor(registry, this.cache, "brain_query_vectors");
	}

	/**
	 * Whether queries can be embedded with the model (null: the index has no vectors).
	 */
	public boolean supports(@Nullable String model) {
		return model != null && this.provider != null && this.provider.model().equals(model);
	}

	/** Why {@link #supports(String)} is false, for a client. */
	public String whyNot(@Nullable String model) {
		if (model == null) {
			return "the version has no embeddings (it was built with brain.embedding.provider=none)";
		}
		return "the version's vectors come from " + model + " but this replica embeds queries with "
				+ ((this.provider != null) ? this.provider.model() : "no provider (brain.embedding.provider=none)");
	}

	/**
	 * The cosine similarity from which this replica's model calls a query and a chunk
	 * related ({@link EmbeddingProvider#hitSimilarity()}).
	 */
	public double hitSimilarity() {
		return (this.provider != null) ? this.provider.hitSimilarity() : EmbeddingProvider.DEFAULT_HIT_SIMILARITY;
	}

	/**
	 * The unit-length query vector.
	 * @throws EmbeddingFailure when the provider cannot embed it now
	 */
	public float[] embed(String model, String text) {
		EmbeddingProvider provider = this.provider;
		if (provider == null) {
			throw new IllegalStateException("no embedding provider");
		}
		Key key = new Key(model, text);
		float[] cached = this.cache.getIfPresent(key);
		if (cached != null) {
			return cached;
		}
		// a model run or a remote round trip: not while holding one of the search slots
		return this.gate.outside(() -> this.cache.get(key, (missing) -> Vectors.normalize(provider.embedQuery(text))));
	}

	private record Key(String model, String text) {
	}

}
