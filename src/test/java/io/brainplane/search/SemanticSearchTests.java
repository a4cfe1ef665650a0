package io.brainplane.search;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.TestModel;
import io.brainplane.support.Rankings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import io.brainplane.search.internal.QueryVectors;
import io.brainplane.search.internal.ResultCache;
import io.brainplane.search.internal.SearchProperties;
import io.brainplane.search.internal.LocalIndexes;
import io.brainplane.search.HitProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search by meaning with the local model, over real HTTP: a paraphrase that shares no
 * word with its answer, the mode each search reports, and hybrid against its two halves
 * on a small labelled brain.
 */
class SemanticSearchTests extends IntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Autowired
	private LocalIndexes indexes;

	@Autowired
	private ResultCache cache;

	@Autowired
	private HitProperties verdict;

	@Autowired
	private QueryVectors vectors;

	@Test
	void semanticSearchFindsAParaphraseThatSharesNoWordWithTheAnswer() {
		long version = sealedVersion("none",
				List.of(doc("reset", "Resetting a forgotten password",
						"Open the sign-in page, choose Forgot password and follow the emailed link."),
						doc("tea", "Brewing green tea", "Steep the leaves for two minutes in water at 80 degrees."),
						doc("bikes", "Bicycle parking", "Racks for bicycles are behind building B.")));
		activate(version);
		String question = "I can't remember how to log in";

		Api.Response lexical = search(question, "lexical");
		assertThat(lexical.json().get("results")).as("no word in common").isEmpty();

		Api.Response semantic = search(question, "semantic");
		assertThat(semantic.status()).as(semantic.toString()).isEqualTo(200);
		assertThat(semantic.json().get("mode").asText()).isEqualTo("semantic");
		assertThat(semantic.json().get("results").get(0).get("documentKey").asText()).isEqualTo("reset");
		assertThat(semantic.json().get("hit").asBoolean()).isTrue();
	}

	@Test
	void aHybridSearchIsAHitOnlyWhenOneOfItsHalvesFindsSomethingClose() {
		activate(
				sealedVersion("none", List.of(doc("otters", "Otters", "Otters hold hands while sleeping in the river."),
						doc("seals", "Seals", "Seals sleep floating in the water."))));

		JsonNode unrelated = search("quantum chromodynamics lattice", null).json();
		assertThat(unrelated.get("mode").asText()).isEqualTo("hybrid");
		assertThat(unrelated.get("results")).as("the nearest chunks are always returned").isNotEmpty();
		assertThat(unrelated.get("hit").asBoolean()).as("but nothing is close").isFalse();

		JsonNode paraphrase = search("which animals nap while holding paws", null).json();
		assertThat(paraphrase.get("results").get(0).get("documentKey").asText()).isEqualTo("otters");
		assertThat(paraphrase.get("hit").asBoolean()).isTrue();
	}

	/**
	 * Unset (as in the test context), {@code brain.hits.min-similarity} is the model's
	 * own threshold; set, it wins.
	 */
	@Test
	void theSimilarityThresholdIsTheModelsOwnUnlessSet() {
		activate(
				sealedVersion("none", List.of(doc("otters", "Otters", "Otters hold hands while sleeping in the river."),
						doc("seals", "Seals", "Seals sleep floating in the water."))));
		String paraphrase = "which animals nap while holding paws";
		String unrelated = "quantum chromodynamics lattice";
		assertThat(this.verdict.minSimilarity()).as("unset in the test context").isNull();
		SearchService modelDefault = withThreshold(null);
		assertThat(modelDefault.search(paraphrase, 10, SearchGroup.CHUNK, "semantic", "test").hit()).isTrue();
		assertThat(modelDefault.search(unrelated, 10, SearchGroup.CHUNK, "semantic", "test").hit()).isFalse();
		assertThat(withThreshold(0.99).search(paraphrase, 10, SearchGroup.CHUNK, "semantic", "test").hit())
			.as("a threshold above the paraphrase's similarity")
			.isFalse();
		assertThat(withThreshold(-1.0).search(unrelated, 10, SearchGroup.CHUNK, "semantic", "test").hit())
			.as("a threshold below any similarity")
			.isTrue();
	}

	private SearchService withThreshold(Double minSimilarity) {
		HitProperties verdict = new HitProperties(true, true, Duration.ofDays(7), 10, 10, Duration.ofSeconds(30),
				this.verdict.minScore(), minSimilarity);
		return new SearchService(this.indexes, this.cache,
				new SearchProperties(0, Duration.ofMinutes(1), 256, SearchProperties.Fusion.RRF, 0.5), verdict,
				this.vectors, (event) -> {
				}, this.clock, new SimpleMeterRegistry());
	}

	@Test
	void hybridIsTheDefaultForAVersionWithEmbeddingsAndTheResponseSaysSo() {
		long version = sealedVersion("none", List.of(doc("a", "Alpha", "Alpha particles are helium nuclei.")));
		JsonNode sealed = api().get("/brain/versions/" + version).json();
		assertThat(sealed.get("embeddingModel").asText()).isEqualTo(TestModel.versionModel(TestModel.ID));
		assertThat(sealed.get("embeddingDimension").asInt()).isEqualTo(384);
		assertThat(sealed.get("progress").get("embedded").asLong()).isEqualTo(sealed.get("chunkCount").asLong());
		activate(version);

		assertThat(search("helium nuclei", null).json().get("mode").asText()).isEqualTo("hybrid");
		assertThat(search("helium nuclei", "lexical").json().get("mode").asText()).isEqualTo("lexical");
		Api.Response wrong = search("helium nuclei", "fuzzy");
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.json().get("detail").asText()).contains("mode");
	}

	@Test
	void hybridIsAtLeastAsGoodAsTheBetterOfItsHalvesOnALabelledBrain() throws IOException {
		JsonNode set;
		try (InputStream in = getClass().getResourceAsStream("/labelled/support-brain.json")) {
			set = JSON.readTree(in);
		}
		List<Map<String, Object>> documents = new ArrayList<>();
		set.get("documents")
			.forEach((d) -> documents
				.add(doc(d.get("key").asText(), d.get("title").asText(), d.get("content").asText())));
		activate(sealedVersion("none", documents));

		Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
		set.get("queries").forEach((q) -> judgments.put(q.get("q").asText(), Map.of(q.get("relevant").asText(), 1)));
		Map<String, Rankings.Scores> scores = new LinkedHashMap<>();
		for (String mode : List.of("lexical", "semantic", "hybrid")) {
			Map<String, List<String>> ranked = new LinkedHashMap<>();
			for (String question : judgments.keySet()) {
				List<String> keys = new ArrayList<>();
				search(question, mode, "document").json()
					.get("results")
					.forEach((hit) -> keys.add(hit.get("documentKey").asText()));
				ranked.put(question, keys);
			}
			scores.put(mode, Rankings.score(ranked, judgments));
		}
		System.out.println("Labelled help-desk brain: " + scores);
		Rankings.Scores lexical = scores.get("lexical");
		Rankings.Scores semantic = scores.get("semantic");
		Rankings.Scores hybrid = scores.get("hybrid");
		// Words alone miss the questions worded differently from their answers.
		assertThat(lexical.hitAt3()).isLessThan(1.0);
		assertThat(hybrid.hitAt3()).as("hit@3 %s", scores)
			.isGreaterThanOrEqualTo(Math.max(lexical.hitAt3(), semantic.hitAt3()));
		assertThat(hybrid.ndcgAt10()).as("nDCG@10 %s", scores)
			.isGreaterThanOrEqualTo(Math.max(lexical.ndcgAt10(), semantic.ndcgAt10()));
	}

	@Test
	void hybridScoresReadOnAZeroToOneScaleWithEitherFusion() {
		activate(sealedVersion("none",
				List.of(doc("otters", "Otters", "Otters hold hands while sleeping in the river."),
						doc("seals", "Seals", "Seals sleep floating in the water."),
						doc("tea", "Green tea", "Steep the leaves for two minutes in water at 80 degrees."))));
		String question = "otters sleeping while holding hands";

		// linear fusion, the default
		JsonNode linear = search(question, "hybrid").json();
		List<Double> scores = new ArrayList<>();
		linear.get("results").forEach((hit) -> scores.add(hit.get("score").asDouble()));
		assertThat(linear.get("results").get(0).get("documentKey").asText()).isEqualTo("otters");
		// half the normalised cosine plus half the normalised BM25: well above RRF's
		// 0.016 scale, below 1 unless both are perfect
		assertThat(scores.get(0)).isBetween(0.3, 1.0);
		assertThat(scores).allSatisfy((score) -> assertThat(score).isBetween(0.0, scores.get(0)));
		// tea shares no word with the question: its score is its meaning's alone, halved
		Map<String, Double> byKey = new LinkedHashMap<>();
		linear.get("results").forEach((hit) -> byKey.put(hit.get("documentKey").asText(), hit.get("score").asDouble()));
		assertThat(byKey.get("tea")).as("%s", byKey).isNotNull().isLessThan(0.5);

		SearchService rrf = new SearchService(this.indexes, this.cache,
				new SearchProperties(0, Duration.ofMinutes(1), 256, SearchProperties.Fusion.RRF, 0.5), this.verdict,
				this.vectors, (event) -> {
				}, this.clock, new SimpleMeterRegistry());
		// the shared result cache holds the linear answer to the same search
		this.cache.invalidate(new ResultCache.Key(this.indexes.serving().orElseThrow(), question, 10,
				io.brainplane.search.SearchGroup.CHUNK, SearchMode.HYBRID));
		List<SearchHit> hits = rrf.search(question, 10, io.brainplane.search.SearchGroup.CHUNK, "hybrid", "test")
			.results();
		assertThat(hits.get(0).documentKey()).isEqualTo("otters");
		assertThat(hits.get(0).score()).as("first in both rankings").isEqualTo(1.0f);
		assertThat(hits).allSatisfy((hit) -> assertThat(hit.score()).isBetween(0.0f, 1.0f));
	}

	private Api.Response search(String q, String mode) {
		return search(q, mode, "chunk");
	}

	private Api.Response search(String q, String mode, String group) {
		return api().get("/brain/search?k=10&group=" + group + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
				+ ((mode != null) ? "&mode=" + mode : ""));
	}

}
