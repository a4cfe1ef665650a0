package io.brainplane.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The calls docs/api.md documents ("METHOD /brain/path", placeholders in braces) and the
 * calls the console's modules make, both read from the files in the repository.
 */
final class ApiContract {

	private static final Pattern DOCUMENTED = Pattern.compile("\\b(GET|POST|PUT|DELETE|PATCH) (/brain[^\\s`?]*)");

	/** The console's api.js helpers: get(path), post(path, body), put(...), del(path). */
	private static final Pattern CALL = Pattern.compile("\\b(get|post|put|del)\\(\\s*[`'\"](/brain[^`'\"?]*)");

	private static final Path CONSOLE = Path.of("src/main/resources/static/console");

	private final List<Pattern> documented = new ArrayList<>();

	private final List<String> documentedText = new ArrayList<>();

	ApiContract() {
		Matcher matcher = DOCUMENTED.matcher(read(Path.of("docs/api.md")));
		while (matcher.find()) {
			String path = matcher.group(2).replaceAll("[.,;:)]+$", "");
			this.documentedText.add(matcher.group(1) + " " + path);
			this.documented.add(Pattern.compile(Pattern.quote(matcher.group(1) + " ")
					+ Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "/?"));
		}
	}

	List<String> documented() {
		return this.documentedText;
	}

	/** Whether "METHOD /brain/path?query" is a documented call (the query is ignored). */
	boolean isDocumented(String call) {
		String withoutQuery = call.replaceAll("[?#].*$", "");
		return this.documented.stream().anyMatch((pattern) -> pattern.matcher(withoutQuery).matches());
	}

	/**
	 * Every call in the console's JavaScript, "METHOD /brain/path" with x for
	 * expressions.
	 */
	static List<String> consoleCalls() {
		List<String> calls = new ArrayList<>();
		for (Path file : scripts()) {
			Matcher matcher = CALL.matcher(read(file));
			while (matcher.find()) {
				String method = matcher.group(1).equals("del") ? "DELETE" : matcher.group(1).toUpperCase();
				calls.add(method + " " + matcher.group(2).replaceAll("\\$\\{[^}]*}", "x"));
			}
		}
		return calls;
	}

	/** The console's modules that call fetch() directly (only api.js may). */
	static List<String> fetchingScripts() {
		return scripts().stream()
			.filter((file) -> read(file).contains("fetch("))
			.map((file) -> CONSOLE.relativize(file).toString())
			.toList();
	}

	static List<Path> scripts() {
		try (Stream<Path> files = Files.walk(CONSOLE)) {
			return files.filter((file) -> file.toString().endsWith(".js")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
