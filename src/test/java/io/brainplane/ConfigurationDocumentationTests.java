package io.brainplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration users read (README's table) and the code that binds it agree: every
 * {@code brain.*} property the {@code @ConfigurationProperties} records bind is listed
 * with the default the record gives it, and every {@code ${brain.…}} placeholder in the
 * code names a bound property with the same default. The records are the one place a
 * property is declared (one record per prefix); the configuration processor's metadata
 * ({@code target/classes}, written by the build) lists what they bind.
 */
class ConfigurationDocumentationTests {

	private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	private static final Pattern README_ROW = Pattern.compile("^\\| `(brain\\.[^`]+)` \\| ([^|]*)\\|",
			Pattern.MULTILINE);

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(brain\\.[a-z0-9.-]+)(?::([^}\"]*))?}");

	/** Bound property name to its default as the metadata renders it (null: none). */
	private static final Map<String, String> bound = new TreeMap<>();

	private static final Map<String, String> readme = new TreeMap<>();

	@BeforeAll
	static void read() throws IOException {
		JsonNode metadata = new ObjectMapper().readTree(METADATA.toFile());
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asText();
			if (name.startsWith("brain.")) {
				JsonNode value = property.get("defaultValue");
				bound.put(name, (value != null && value.isValueNode()) ? value.asText() : null);
			}
		}
		Matcher rows = README_ROW.matcher(Files.readString(Path.of("README.md")));
		while (rows.find()) {
			readme.put(rows.group(1), rows.group(2).replace("`", "").trim());
		}
		assertThat(bound).as("bound properties in %s", METADATA).hasSizeGreaterThan(50);
	}

	@Test
	void readmeListsEveryBoundPropertyWithItsDefault() {
		List<String> problems = new ArrayList<>();
		bound.forEach((name, value) -> {
			String documented = readme.get(name);
			if (documented == null && readme.keySet().stream().anyMatch((row) -> row.startsWith(name + "[i]."))) {
				return;
			}
			if (documented == null) {
				problems.add(name + " is not in README's configuration table");
			}
			else if (value != null && !documented.startsWith(value)) {
				problems.add(name + ": README says " + documented + ", the code defaults to " + value);
			}
		});
		assertThat(problems).isEmpty();
	}

	@Test
	void readmeListsOnlyPropertiesTheCodeBinds() {
		List<String> unknown = readme.keySet()
			.stream()
			.filter((name) -> !bound.containsKey(name) && !isListElement(name))
			.toList();
		assertThat(unknown).as("README rows no record binds").isEmpty();
	}

	@Test
	void everyPlaceholderInTheCodeNamesABoundPropertyAndItsDefault() throws IOException {
		List<String> problems = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				Matcher placeholders = PLACEHOLDER.matcher(Files.readString(source));
				while (placeholders.find()) {
					String name = placeholders.group(1);
					String fallback = placeholders.group(2);
					if (!bound.containsKey(name)) {
						problems.add(source.getFileName() + ": " + name + " is bound by no properties record");
					}
					else if (fallback != null && bound.get(name) != null && !fallback.equals(bound.get(name))) {
						problems.add(source.getFileName() + ": " + name + " falls back to " + fallback
								+ ", its record defaults to " + bound.get(name));
					}
				}
			}
		}
		assertThat(problems).isEmpty();
	}

	/** {@code brain.security.keys[i].name}: the elements of a bound list. */
	private static boolean isListElement(String name) {
		int index = name.indexOf("[i].");
		return index > 0 && bound.keySet().stream().anyMatch((property) -> property.equals(name.substring(0, index)));
	}

}
