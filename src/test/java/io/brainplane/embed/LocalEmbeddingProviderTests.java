package io.brainplane.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import io.brainplane.embed.internal.EmbeddingProperties;
import io.brainplane.embed.internal.LocalEmbeddingProvider;

/**
 * The in-process model: vectors that mean something, and no more threads than it was
 * given.
 */
class LocalEmbeddingProviderTests {

	private static LocalEmbeddingProvider provider;

	@BeforeAll
	static void load() {
		provider = new LocalEmbeddingProvider(1, 16);
	}

	@AfterAll
	static void close() {
		provider.destroy();
	}

	@Test
	void similarMeaningsAreCloserThanUnrelatedOnes() {
		List<float[]> vectors = provider.embed(
				List.of("how do I reset my password", "Open account settings and choose a new secret to sign in with.",
						"Water boils at 100 degrees at sea level."));
		assertThat(vectors).hasSize(3).allSatisfy((vector) -> assertThat(vector).hasSize(384));
		vectors.forEach(Vectors::normalize);
		assertThat(dot(vectors.get(0), vectors.get(1))).isGreaterThan(dot(vectors.get(0), vectors.get(2)) + 0.2);
	}

	@Test
	void aBatchRunsOnNoMoreThreadsThanConfigured() {
		Set<String> threads = ConcurrentHashMap.newKeySet();
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			texts.add("shock wave boundary layer interaction number " + i);
		}
		Thread sampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				Thread.getAllStackTraces()
					.keySet()
					.stream()
					.filter((thread) -> thread.getName().startsWith("brain-embedding-"))
					.forEach((thread) -> threads.add(thread.getName()));
				Thread.onSpinWait();
			}
		});
		sampler.start();
		try {
			assertThat(provider.embed(texts)).hasSize(40);
		}
		finally {
			sampler.interrupt();
		}
		assertThat(threads).containsExactly("brain-embedding-1");
	}

	@Test
	void blankTextStillGetsAVector() {
		assertThat(provider.embedQuery(" ")).hasSize(384);
	}

	@Test
	void theDefaultLeavesACoreForServing() {
		EmbeddingProperties defaults = new EmbeddingProperties(EmbeddingProperties.Provider.LOCAL, 0, 32, null);
		assertThat(defaults.effectiveThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
		assertThat(new EmbeddingProperties(EmbeddingProperties.Provider.LOCAL, 3, 32, null).effectiveThreads())
			.isEqualTo(3);
	}

	private static double dot(float[] a, float[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

}
