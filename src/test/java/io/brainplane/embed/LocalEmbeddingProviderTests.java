package io.brainplane.embed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.embed.internal.EmbeddingProperties;
import io.brainplane.embed.internal.LocalEmbeddingProvider;
import io.brainplane.support.Cranfield;
import io.brainplane.support.RecordedEmbeddings;

/**
 * The in-process model: vectors that mean something, and no more threads than it was
 * given.
 */
class LocalEmbeddingProviderTests {

	private static LocalEmbeddingProvider provider;

	private static LocalEmbeddingProvider bge;

	@BeforeAll
	static void load() {
		provider = new LocalEmbeddingProvider(1, 16);
		bge = new LocalEmbeddingProvider(EmbeddingProperties.LocalModel.BGE_SMALL_EN_V1_5_Q, 1, 16);
	}

	@AfterAll
	static void close() {
		provider.destroy();
		bge.destroy();
	}

	/**
	 * Closing the model while calls run (a shutdown during ingestion or a search) waits
	 * for them instead of freeing native memory under them, which crashed the JVM; calls
	 * after it fail cleanly.
	 */
	@Test
	void closingWhileEmbeddingWaitsForTheCallsAndLaterCallsFailCleanly() throws Exception {
		LocalEmbeddingProvider closing = new LocalEmbeddingProvider(2, 16);
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			texts.add("chunk " + i + " about boundary layers, shock waves and heat transfer at hypersonic speeds");
		}
		java.util.concurrent.CompletableFuture<List<float[]>> batch = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> closing.embed(texts));
		java.util.concurrent.CompletableFuture<float[]> query = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> closing.embedQuery("shock waves"));
		Thread.sleep(50);
		closing.destroy();
		// each call either finished with vectors or failed as an embedding failure
		for (java.util.concurrent.CompletableFuture<?> call : List.of(batch, query)) {
			try {
				assertThat(call.get()).isNotNull();
			}
			catch (java.util.concurrent.ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(EmbeddingFailure.class);
			}
		}
		assertThatThrownBy(() -> closing.embedQuery("after")).isInstanceOf(EmbeddingFailure.class)
			.hasMessageContaining("closed");
	}

	@Test
	void eachModelNamesItself() {
		assertThat(provider.model()).isEqualTo("local:all-minilm-l6-v2-q");
		assertThat(bge.model()).isEqualTo("local:bge-small-en-v1.5-q");
	}

	@ParameterizedTest
	@ValueSource(strings = { "minilm", "bge" })
	void similarMeaningsAreCloserThanUnrelatedOnes(String name) {
		LocalEmbeddingProvider provider = name.equals("bge") ? bge : LocalEmbeddingProviderTests.provider;
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

	/**
	 * Texts of different lengths share padded batches: padding and masking must not
	 * change a text's vector.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "minilm", "bge" })
	void aBatchGivesEachTextTheVectorItGetsAlone(String name) {
		LocalEmbeddingProvider provider = name.equals("bge") ? bge : LocalEmbeddingProviderTests.provider;
		List<String> texts = List.of("lift", "boundary layer transition at hypersonic speeds",
				"the heat transfer to a flat plate in a supersonic stream was measured for several Mach numbers",
				"shock", "an experimental study of a wing in a propeller slipstream at different angles of attack");
		List<float[]> together = provider.embed(texts);
		for (int i = 0; i < texts.size(); i++) {
			float[] alone = Vectors.normalize(provider.embed(List.of(texts.get(i))).get(0));
			assertThat(dot(Vectors.normalize(together.get(i)), alone)).as(texts.get(i)).isGreaterThan(0.99999);
		}
	}

	@Test
	void bgeQueriesCarryTheRetrievalInstructionAndMiniLmQueriesDoNot() {
		String text = "what similarity laws must be obeyed by aeroelastic models";
		float[] asPassage = Vectors.normalize(bge.embed(List.of(text)).get(0));
		float[] asQuery = Vectors.normalize(bge.embedQuery(text));
		assertThat(dot(asPassage, asQuery)).isLessThan(0.99);
		float[] miniPassage = Vectors.normalize(provider.embed(List.of(text)).get(0));
		float[] miniQuery = Vectors.normalize(provider.embedQuery(text));
		assertThat(dot(miniPassage, miniQuery)).isGreaterThan(0.999);
	}

	/**
	 * Each model brings its own hit threshold (the default of
	 * {@code brain.hits.min-similarity}): over the Cranfield chunks (their recorded
	 * vectors), the nearest chunk of every one of the collection's 225 questions reaches
	 * it, and at most one of 40 off-topic questions' does (bge puts "the life cycle of a
	 * butterfly" at 0.684, above three Cranfield questions). One threshold for both
	 * models cannot do this: bge puts every off-topic question above MiniLM's 0.35.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "minilm", "bge" })
	void eachModelsHitThresholdTellsAnswerableFromOffTopicQuestions(String name) throws IOException {
		LocalEmbeddingProvider model = name.equals("bge") ? bge : LocalEmbeddingProviderTests.provider;
		Collection<float[]> chunks;
		try (InputStream in = Files
			.newInputStream(RecordedEmbeddings.SOURCE_DIR.resolve(RecordedEmbeddings.fileName(model.model())))) {
			chunks = RecordedEmbeddings.read(in, model.model()).values();
		}
		chunks.forEach(Vectors::normalize);
		double threshold = model.hitSimilarity();
		Map<String, Double> onTopic = new LinkedHashMap<>();
		Cranfield.queries().values().forEach((question) -> onTopic.put(question, nearest(model, chunks, question)));
		Map<String, Double> offTopic = new LinkedHashMap<>();
		Cranfield.offTopic().forEach((question) -> offTopic.put(question, nearest(model, chunks, question)));
		double[] on = onTopic.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
		double[] off = offTopic.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
		System.out.printf(
				"Hit threshold %s %.2f: Cranfield questions' nearest chunk lowest %.3f, 5th percentile %.3f, "
						+ "median %.3f; off-topic highest %.3f, second %.3f, median %.3f%n",
				name, threshold, on[0], on[on.length / 20], on[on.length / 2], off[off.length - 1], off[off.length - 2],
				off[off.length / 2]);
		List<String> onTopicMisses = onTopic.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() < threshold)
			.map(Map.Entry::getKey)
			.toList();
		List<String> offTopicHits = offTopic.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() >= threshold)
			.map(Map.Entry::getKey)
			.toList();
		assertThat(onTopicMisses).as("Cranfield questions below %s's threshold %.2f", name, threshold).isEmpty();
		assertThat(offTopicHits).as("off-topic questions at %s's threshold %.2f or more", name, threshold)
			.hasSizeLessThanOrEqualTo(2);
		assertThat(Cranfield.offTopic()).hasSize(40);
		// a second, unlike brain: short help-desk articles and paraphrased questions
		JsonNode set;
		try (InputStream in = getClass().getResourceAsStream("/labelled/support-brain.json")) {
			set = new ObjectMapper().readTree(in);
		}
		List<String> articles = new ArrayList<>();
		set.get("documents")
			.forEach((article) -> articles
				.add(article.get("title").asText() + "\n\n" + article.get("content").asText()));
		List<float[]> vectors = model.embed(articles);
		vectors.forEach(Vectors::normalize);
		List<String> helpDeskMisses = new ArrayList<>();
		set.get("queries").forEach((query) -> {
			if (nearest(model, vectors, query.get("q").asText()) < threshold) {
				helpDeskMisses.add(query.get("q").asText());
			}
		});
		assertThat(helpDeskMisses).as("help-desk questions below %s's threshold %.2f", name, threshold)
			.hasSizeLessThanOrEqualTo(1);
		assertThat(set.get("queries")).hasSize(16);
	}

	@Test
	void theModelsHitThresholdsDifferAndAUnknownModelGetsTheGenericOne() {
		assertThat(bge.hitSimilarity()).isGreaterThan(provider.hitSimilarity() + 0.1);
		EmbeddingProvider remote = new EmbeddingProvider() {

			@Override
			public String model() {
				return "openai:text-embedding-3-small";
			}

			@Override
			public int batchSize() {
				return 1;
			}

			@Override
			public List<float[]> embed(List<String> texts) {
				return List.of();
			}

			@Override
			public float[] embedQuery(String text) {
				return new float[0];
			}

		};
		assertThat(remote.hitSimilarity()).isEqualTo(EmbeddingProvider.DEFAULT_HIT_SIMILARITY);
	}

	private static double nearest(EmbeddingProvider model, Collection<float[]> chunks, String question) {
		float[] query = Vectors.normalize(model.embedQuery(question));
		double best = -1;
		for (float[] chunk : chunks) {
			best = Math.max(best, dot(query, chunk));
		}
		return best;
	}

	@Test
	void aTextLongerThanTheModelsPositionsIsEmbeddedWhole() {
		String start = "supersonic flutter of panels ".repeat(150);
		String end = "recipes for chocolate cake ".repeat(150);
		List<float[]> vectors = provider.embed(List.of(start + end, start));
		float[] whole = Vectors.normalize(vectors.get(0));
		float[] firstHalf = Vectors.normalize(vectors.get(1));
		float[] cake = Vectors.normalize(provider.embedQuery("chocolate cake recipes"));
		assertThat(whole).hasSize(384);
		// the second half, beyond 512 tokens, counts too
		assertThat(dot(whole, cake)).isGreaterThan(dot(firstHalf, cake) + 0.05);
	}

	@Test
	void blankTextStillGetsAVector() {
		assertThat(provider.embedQuery(" ")).hasSize(384);
	}

	@Test
	void theDefaultLeavesACoreForServing() {
		EmbeddingProperties defaults = new EmbeddingProperties(EmbeddingProperties.Provider.LOCAL,
				EmbeddingProperties.LocalModel.BGE_SMALL_EN_V1_5_Q, 0, 32, null);
		assertThat(defaults.effectiveThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
		assertThat(new EmbeddingProperties(EmbeddingProperties.Provider.LOCAL,
				EmbeddingProperties.LocalModel.BGE_SMALL_EN_V1_5_Q, 3, 32, null)
			.effectiveThreads()).isEqualTo(3);
	}

	private static double dot(float[] a, float[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

}
