package io.brainplane.search;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrieval quality of lexical search on the Cranfield collection (read from ../shared,
 * never copied into the project): a guard against analysis or ranking changes that make
 * answers worse. Figures are recorded in docs/performance.md.
 */
class CranfieldQualityTests extends IntegrationTest {

	private static final Path CRANFIELD = Path.of("..", "shared", "datasets", "cranfield");

	@Test
	void lexicalSearchRanksJudgedDocumentsHighOnCranfield() throws IOException {
		long version = createVersion("none");
		// Two Cranfield abstracts are empty; the API rightly refuses blank content.
		List<String> lines = Files.readAllLines(CRANFIELD.resolve("documents.ndjson"))
			.stream()
			.filter((line) -> !line.contains("\"content\": \"\""))
			.toList();
		for (int from = 0; from < lines.size(); from += 1000) {
			String body = String.join("\n", lines.subList(from, Math.min(lines.size(), from + 1000)));
			Api.Response put = api().send("PUT", "/brain/versions/" + version + "/documents", body,
					"application/x-ndjson");
			assertThat(put.status()).as(put.toString()).isEqualTo(200);
		}
		assertThat(api().post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
		activate(version);

		Map<String, Map<String, Integer>> judgments = new HashMap<>();
		for (String line : Files.readAllLines(CRANFIELD.resolve("qrels.tsv"))) {
			String[] fields = line.split("\t");
			int grade = Integer.parseInt(fields[2].trim());
			if (grade >= 1 && grade <= 4) {
				judgments.computeIfAbsent(fields[0], (id) -> new HashMap<>()).put(fields[1], 5 - grade);
			}
		}
		Map<String, String> queries = new LinkedHashMap<>();
		for (String line : Files.readAllLines(CRANFIELD.resolve("queries.tsv"))) {
			String[] fields = line.split("\t", 2);
			queries.put(fields[0], fields[1]);
		}

		double ndcg = 0;
		double mrr = 0;
		double hitAt5 = 0;
		int judged = 0;
		for (Map.Entry<String, String> query : queries.entrySet()) {
			Map<String, Integer> relevant = judgments.get(query.getKey());
			if (relevant == null) {
				continue;
			}
			judged++;
			JsonNode results = api()
				.get("/brain/search?group=document&k=10&q="
						+ URLEncoder.encode(query.getValue(), StandardCharsets.UTF_8))
				.json()
				.get("results");
			List<String> ranked = new ArrayList<>();
			results.forEach((hit) -> ranked.add(hit.get("documentKey").asText()));
			ndcg += ndcgAt10(ranked, relevant);
			for (int i = 0; i < ranked.size(); i++) {
				if (relevant.containsKey(ranked.get(i))) {
					mrr += 1.0 / (i + 1);
					hitAt5 += (i < 5) ? 1 : 0;
					break;
				}
			}
		}
		ndcg /= judged;
		mrr /= judged;
		hitAt5 /= judged;
		System.out.printf("Cranfield lexical: queries=%d nDCG@10=%.4f MRR@10=%.4f hit@5=%.4f%n", judged, ndcg, mrr,
				hitAt5);
		assertThat(ndcg).as("nDCG@10").isGreaterThan(0.35);
		assertThat(mrr).as("MRR@10").isGreaterThan(0.53);
		assertThat(hitAt5).as("hit@5").isGreaterThan(0.75);
	}

	private static double ndcgAt10(List<String> ranked, Map<String, Integer> relevant) {
		double dcg = 0;
		for (int i = 0; i < Math.min(10, ranked.size()); i++) {
			dcg += (Math.pow(2, relevant.getOrDefault(ranked.get(i), 0)) - 1) / log2(i + 2);
		}
		List<Integer> ideal = relevant.values().stream().sorted((a, b) -> b - a).toList();
		double idcg = 0;
		for (int i = 0; i < Math.min(10, ideal.size()); i++) {
			idcg += (Math.pow(2, ideal.get(i)) - 1) / log2(i + 2);
		}
		return (idcg == 0) ? 0 : dcg / idcg;
	}

	private static double log2(int value) {
		return Math.log(value) / Math.log(2);
	}

}
