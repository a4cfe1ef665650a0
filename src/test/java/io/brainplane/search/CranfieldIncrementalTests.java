package io.brainplane.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.brainplane.index.VersionRef;
import io.brainplane.support.Api;
import io.brainplane.support.Cranfield;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.Rankings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;

import io.brainplane.search.internal.IndexBuilder;
import io.brainplane.search.internal.QueryFactory;
import io.brainplane.search.internal.VersionIndex;
import org.springframework.beans.factory.annotation.Autowired;
import io.brainplane.index.IndexProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BM25 on an incremental build, whose deleted chunks still count in term statistics until
 * merged away, against a full build of the same version, on Cranfield with a tenth of its
 * documents revised. The figures are in docs/performance.md.
 */
class CranfieldIncrementalTests extends IntegrationTest {

	@Autowired
	private IndexBuilder builder;

	@Autowired
	private io.brainplane.platform.PlatformProperties platform;

	@Autowired
	private io.brainplane.index.VersionChunks chunks;

	@Autowired
	private io.brainplane.index.VersionLookup versions;

	@Autowired
	private io.brainplane.embed.EmbeddingProvider embeddings;

	@Test
	void incrementalBuildRanksLikeAFullBuildOnCranfield() throws IOException {
		List<String> lines = Cranfield.documents();
		long base = createVersion("none");
		put(base, lines);
		seal(base);
		// A tenth of the documents revised: their old chunks linger as deleted ones.
		List<String> revised = Cranfield.revised(lines);
		long version = createVersion(Long.toString(base));
		put(version, revised);
		seal(version);
		VersionRef ref = new VersionRef(version,
				api().get("/brain/versions/" + version).json().get("checksum").asText());
		Path incremental = this.platform.indexDir().resolve(ref.directoryName());
		try (FSDirectory directory = FSDirectory.open(incremental)) {
			SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
			assertThat(infos.getUserData()).containsEntry(IndexBuilder.BASE_KEY, Long.toString(base));
			assertThat(infos.asList().stream().mapToInt((info) -> info.getDelCount()).sum()).isGreaterThan(0);
		}
		Path full = Files.createTempDirectory("cranfield-full").resolve(ref.directoryName());
		assertThat(this.builder.build(ref, full, true)).isEqualTo(IndexBuilder.Kind.FULL);

		Map<String, Map<String, Integer>> judgments = Cranfield.judgments();
		Map<String, String> queries = new LinkedHashMap<>();
		Cranfield.queries().forEach((id, text) -> {
			if (judgments.containsKey(id)) {
				queries.put(id, text);
			}
		});
		Rankings.Scores onBase = lexical(VersionIndex.open(ref, incremental), queries, judgments);
		Rankings.Scores fromScratch = lexical(VersionIndex.open(ref, full), queries, judgments);
		System.out.printf("Cranfield lexical, a tenth revised: incremental %s; full %s%n", onBase, fromScratch);
		assertThat(Math.abs(onBase.ndcgAt10() - fromScratch.ndcgAt10())).as("nDCG@10 difference").isLessThan(0.01);
		assertThat(Math.abs(onBase.mrrAt10() - fromScratch.mrrAt10())).as("MRR@10 difference").isLessThan(0.02);

		// The vector encodings: the same version built with float32 and with int8
		// vectors.
		Path int8 = Files.createTempDirectory("cranfield-int8").resolve(ref.directoryName());
		long started = System.nanoTime();
		assertThat(new IndexBuilder(this.chunks, this.versions,
				new IndexProperties(3, java.time.Duration.ofSeconds(1),
						new IndexProperties.KeepVersions(20, null, java.time.Duration.ofDays(7)), true, 0.3,
						IndexProperties.VectorEncoding.INT8, IndexProperties.SegmentStoreKind.NONE, null, 0),
				new SimpleMeterRegistry())
			.build(ref, int8, true)).isEqualTo(IndexBuilder.Kind.FULL);
		long int8Millis = (System.nanoTime() - started) / 1_000_000;
		Map<String, float[]> vectors = new LinkedHashMap<>();
		queries.forEach((id, text) -> vectors.put(id, this.embeddings.embedQuery(text)));
		Rankings.Scores float32Scores = semantic(VersionIndex.open(ref, full), vectors, judgments);
		Rankings.Scores int8Scores = semantic(VersionIndex.open(ref, int8), vectors, judgments);
		System.out.printf(
				"Cranfield semantic: float32 %s, vector files %d bytes (searched %d); int8 %s, vector files %d bytes (searched %d), built in %d ms%n",
				float32Scores, vectorBytes(full, false), vectorBytes(full, true), int8Scores, vectorBytes(int8, false),
				vectorBytes(int8, true), int8Millis);
		assertThat(vectorBytes(int8, true)).isLessThan(vectorBytes(full, true) / 2);
		assertThat(int8Scores.ndcgAt10()).as("int8 semantic nDCG@10").isGreaterThan(float32Scores.ndcgAt10() - 0.02);
	}

	private Rankings.Scores semantic(VersionIndex index, Map<String, float[]> vectors,
			Map<String, Map<String, Integer>> judgments) throws IOException {
		Map<String, List<String>> ranked = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, float[]> query : vectors.entrySet()) {
				List<String> keys = new ArrayList<>();
				index.search(VersionIndex.nearest(query.getValue(), 40), 10, true)
					.forEach((hit) -> keys.add(hit.documentKey()));
				ranked.put(query.getKey(), keys);
			}
		}
		finally {
			index.close(false);
		}
		return Rankings.score(ranked, judgments);
	}

	/**
	 * Bytes of the vector files; {@code searched}: only those an HNSW search reads (the
	 * graph and the float vectors, or the graph and the quantized vectors).
	 */
	private static long vectorBytes(Path dir, boolean searched) throws IOException {
		boolean quantized;
		try (var files = Files.list(dir)) {
			quantized = files.anyMatch((file) -> file.toString().endsWith(".veq"));
		}
		long bytes = 0;
		try (var files = Files.list(dir)) {
			for (Path file : files.toList()) {
				String name = file.getFileName().toString();
				boolean graph = name.endsWith(".vex");
				boolean floats = name.endsWith(".vec");
				boolean quantizedVectors = name.endsWith(".veq");
				if (searched ? (graph || (quantized ? quantizedVectors : floats))
						: (graph || floats || quantizedVectors)) {
					bytes += Files.size(file);
				}
			}
		}
		return bytes;
	}

	private Rankings.Scores lexical(VersionIndex index, Map<String, String> queries,
			Map<String, Map<String, Integer>> judgments) throws IOException {
		QueryFactory factory = new QueryFactory(256);
		Map<String, List<String>> ranked = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, String> query : queries.entrySet()) {
				Query lucene = factory.create(query.getValue());
				List<String> keys = new ArrayList<>();
				if (lucene != null) {
					index.search(lucene, 10, true).forEach((hit) -> keys.add(hit.documentKey()));
				}
				ranked.put(query.getKey(), keys);
			}
		}
		finally {
			index.close(false);
		}
		return Rankings.score(ranked, judgments);
	}

	private void put(long version, List<String> lines) {
		for (int from = 0; from < lines.size(); from += 1000) {
			String body = String.join("\n", lines.subList(from, Math.min(lines.size(), from + 1000)));
			Api.Response put = api().send("PUT", "/brain/versions/" + version + "/documents", body,
					"application/x-ndjson");
			assertThat(put.status()).as(put.toString()).isEqualTo(200);
		}
	}

	private void seal(long version) {
		awaitIngested(version, Duration.ofMinutes(2));
		Api.Response seal = api().post("/brain/versions/" + version + "/seal", null);
		assertThat(seal.status()).as(seal.toString()).isEqualTo(200);
	}

}
