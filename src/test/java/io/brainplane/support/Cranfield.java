package io.brainplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cranfield collection in src/test/resources/datasets/cranfield (see its README): the
 * documents as the API takes them, the queries and the judgments.
 */
public final class Cranfield {

	public static final Path DIR = Path.of("src", "test", "resources", "datasets", "cranfield");

	private Cranfield() {
	}

	/**
	 * The documents, one NDJSON line each, without the two whose abstract is empty (the
	 * API rightly refuses blank content).
	 */
	public static List<String> documents() {
		return read("documents.ndjson").stream().filter((line) -> !line.contains("\"content\": \"\"")).toList();
	}

	/**
	 * A tenth of the documents (every tenth line) revised: "revised edition . " put
	 * before their content.
	 */
	public static List<String> revised(List<String> documents) {
		List<String> revised = new ArrayList<>();
		for (int i = 0; i < documents.size(); i += 10) {
			revised.add(documents.get(i).replaceFirst("\"content\": \"", "\"content\": \"revised edition . "));
		}
		return revised;
	}

	/**
	 * The judged relevant documents of each query, graded 4 (a complete answer) down to 1
	 * (of minimal interest).
	 */
	public static Map<String, Map<String, Integer>> judgments() {
		Map<String, Map<String, Integer>> judgments = new HashMap<>();
		for (String line : read("qrels.tsv")) {
			String[] fields = line.split("\t");
			int grade = Integer.parseInt(fields[2].trim());
			if (grade >= 1 && grade <= 4) {
				judgments.computeIfAbsent(fields[0], (id) -> new HashMap<>()).put(fields[1], 5 - grade);
			}
		}
		return judgments;
	}

	/**
	 * Questions the collection (1960s aeronautics) has no answer for: everyday topics and
	 * other sciences, none about flight, flow or structures (off-topic.txt).
	 */
	public static List<String> offTopic() {
		return read("off-topic.txt").stream().filter((line) -> !line.isBlank()).toList();
	}

	/** Every query by id, in the file's order. */
	public static Map<String, String> queries() {
		Map<String, String> queries = new LinkedHashMap<>();
		for (String line : read("queries.tsv")) {
			String[] fields = line.split("\t", 2);
			queries.put(fields[0], fields[1]);
		}
		return queries;
	}

	private static List<String> read(String file) {
		try {
			return Files.readAllLines(DIR.resolve(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
