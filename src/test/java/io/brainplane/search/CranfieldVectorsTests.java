package io.brainplane.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.embed.EmbeddingProvider;
import io.brainplane.ingest.internal.Chunker;
import io.brainplane.ingest.internal.IngestProperties;
import io.brainplane.support.Api;
import io.brainplane.support.Cranfield;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.RecordedEmbeddings;
import io.brainplane.platform.Sha256;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorded vectors of the Cranfield chunks ({@link RecordedEmbeddings}, which spares
 * the Cranfield tests embedding 2,000 texts on every run) are the model's vectors for
 * exactly the texts ingestion embeds: a random sample of documents goes through the API
 * and its chunks must be the recorded texts, and a random sample of texts is embedded
 * live and must match. A new model, tokenizer, pooling, chunker or corpus fails here
 * instead of serving stale vectors; then regenerate the recording with
 * {@code ./mvnw -B test -Dtest=CranfieldVectorsTests -Dcranfield.vectors.write=true}
 * (embeds every text live, a few minutes on one core) and commit
 * {@code src/test/resources/datasets/cranfield/vectors/}.
 */
class CranfieldVectorsTests extends IntegrationTest {

	private static final String REGENERATE = "regenerate the recording with ./mvnw -B test "
			+ "-Dtest=CranfieldVectorsTests -Dcranfield.vectors.write=true and commit it";

	/** Live and recorded vectors of one text on any CPU; another model is far below. */
	private static final double SAME_VECTOR = 0.999;

	private static final ObjectMapper JSON = new ObjectMapper();

	@Autowired
	private EmbeddingProvider embeddings;

	@Autowired
	private IngestProperties ingest;

	@Test
	void theRecordingHoldsTheModelsVectorsOfTheTextsIngestionEmbeds() throws IOException {
		assertThat(this.embeddings).isInstanceOf(RecordedEmbeddings.class);
		RecordedEmbeddings recording = (RecordedEmbeddings) this.embeddings;
		EmbeddingProvider model = recording.live();
		List<String> originals = Cranfield.documents();
		List<String> revised = Cranfield.revised(originals);
		// every text ingestion gives the model for the Cranfield tests, by document line
		Map<String, List<String>> texts = new LinkedHashMap<>();
		for (String line : concat(originals, revised)) {
			texts.put(line, embeddingTexts(line));
		}
		Map<String, float[]> recorded;
		if (Boolean.getBoolean("cranfield.vectors.write")) {
			recorded = record(model, texts.values().stream().flatMap(List::stream).distinct().toList());
		}
		else {
			recorded = recording.recorded();
		}
		assertThat(recorded).as("no recorded vectors for " + model.model() + "; " + REGENERATE).isNotEmpty();
		List<String> missing = texts.values()
			.stream()
			.flatMap(List::stream)
			.filter((text) -> !recorded.containsKey(Sha256.hex(text)))
			.toList();
		assertThat(missing).as("Cranfield texts without a recorded vector; " + REGENERATE).isEmpty();

		long seed = System.nanoTime();
		Random random = new Random(seed);
		// Documents through the API: the texts ingestion cuts are the ones recorded. A
		// revised document and its original share a key, so they go in separately.
		List<String> sample = new ArrayList<>(pick(originals, 10, random));
		List<String> revisedSample = pick(revised, 4, random);
		Set<String> ingested = new LinkedHashSet<>();
		for (List<String> documents : List.of(sample, revisedSample)) {
			long version = createVersion("none");
			Api.Response put = api().send("PUT", "/brain/versions/" + version + "/documents",
					String.join("\n", documents), "application/x-ndjson");
			assertThat(put.status()).as(put.toString()).isEqualTo(200);
			JsonNode state = awaitIngested(version, Duration.ofSeconds(60));
			assertThat(state.at("/progress/state").asText()).as(state.toString()).isEqualTo("DONE");
			List<String> cut = this.jdbc.sql("""
					select encode(c.embed_sha256, 'hex') from version_member m
					join chunk c on c.revision_id = m.revision_id where m.version = ?
					""").param(version).query(String.class).list();
			List<String> expected = documents.stream()
				.flatMap((line) -> texts.get(line).stream())
				.map(Sha256::hex)
				.toList();
			assertThat(cut).as("the chunks ingestion cut (seed " + seed + "); " + REGENERATE)
				.containsExactlyInAnyOrderElementsOf(expected);
			ingested.addAll(documents);
		}
		// Their texts embedded live now: the model still gives the recorded vectors.
		List<String> live = ingested.stream().flatMap((line) -> texts.get(line).stream()).distinct().toList();
		List<float[]> vectors = model.embed(live);
		for (int i = 0; i < live.size(); i++) {
			float[] stored = recorded.get(Sha256.hex(live.get(i)));
			assertThat(stored).as("dimension; " + REGENERATE).hasSameSizeAs(vectors.get(i));
			assertThat(cosine(vectors.get(i), stored))
				.as("cosine of the live and the recorded vector of \"%s\" (seed %d); %s",
						live.get(i).substring(0, Math.min(60, live.get(i).length())), seed, REGENERATE)
				.isGreaterThanOrEqualTo(SAME_VECTOR);
		}
		assertThat(live).hasSizeGreaterThanOrEqualTo(14);
	}

	/**
	 * The texts ingestion gives the model for a document: each chunk after the title and
	 * a blank line.
	 */
	private List<String> embeddingTexts(String line) throws IOException {
		JsonNode document = JSON.readTree(line);
		String title = document.path("title").isTextual() ? document.get("title").asText() : null;
		String prefix = (title != null) ? title + "\n\n" : "";
		return new Chunker(this.ingest.chunkSize(), this.ingest.chunkOverlap()).chunk(document.get("content").asText())
			.stream()
			.map((chunk) -> prefix + chunk.text())
			.toList();
	}

	/** Embeds every text live and writes the recording into the sources. */
	private static Map<String, float[]> record(EmbeddingProvider model, List<String> texts) throws IOException {
		Map<String, float[]> vectors = new HashMap<>();
		for (int from = 0; from < texts.size(); from += model.batchSize()) {
			List<String> batch = texts.subList(from, Math.min(texts.size(), from + model.batchSize()));
			List<float[]> embedded = model.embed(batch);
			for (int i = 0; i < batch.size(); i++) {
				vectors.put(Sha256.hex(batch.get(i)), embedded.get(i));
			}
		}
		Path file = RecordedEmbeddings.SOURCE_DIR.resolve(RecordedEmbeddings.fileName(model.model()));
		RecordedEmbeddings.write(file, model.model(), vectors);
		try (InputStream in = Files.newInputStream(file)) {
			return RecordedEmbeddings.read(in, model.model());
		}
	}

	private static List<String> pick(List<String> lines, int count, Random random) {
		List<String> shuffled = new ArrayList<>(lines);
		Collections.shuffle(shuffled, random);
		return shuffled.subList(0, count);
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private static double cosine(float[] a, float[] b) {
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
			na += a[i] * a[i];
			nb += b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

}
