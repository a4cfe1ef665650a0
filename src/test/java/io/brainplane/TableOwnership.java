package io.brainplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads which module owns which table (the "Owns the tables {@code x} ..." sentence of
 * each module's {@code package-info.java}), which tables the migrations create, and which
 * tables each module's SQL names, straight from the sources: what Spring Modulith cannot
 * see, since SQL is only text to it.
 */
final class TableOwnership {

	static final Path SOURCES = Path.of("src", "main", "java", "io", "brainplane");

	static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");

	/** The sentence naming a module's tables, up to its full stop. */
	private static final Pattern OWNS = Pattern.compile("Owns (?:the )?(?:tables?|views?)\\b(.*?)\\.(?:\\s|$)",
			Pattern.DOTALL);

	private static final Pattern CODE = Pattern.compile("\\{@code\\s+([a-z_][a-z0-9_]*)\\s*}");

	private static final Pattern CREATED = Pattern.compile(
			"create\\s+(?:table|(?:or\\s+replace\\s+)?(?:materialized\\s+)?view)\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern DROPPED = Pattern.compile(
			"drop\\s+(?:table|(?:materialized\\s+)?view)\\s+(?:if\\s+exists\\s+)?([a-z_][a-z0-9_]*)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);

	private static final Pattern CHAR_LITERAL = Pattern.compile("'(?:[^'\\\\\\n]|\\\\.)'");

	private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

	/** A string literal is SQL when it holds one of these statements' key words. */
	private static final Pattern SQL = Pattern.compile(
			"\\b(select|insert\\s+into|update\\s+\\w+\\s+set|delete\\s+from|copy\\s|truncate\\s|with\\s+\\w+\\s+as|lock\\s+table)",
			Pattern.CASE_INSENSITIVE);

	private TableOwnership() {
	}

	/** Module name to the tables and views it owns. */
	static Map<String, List<String>> owners() {
		Map<String, List<String>> owners = new TreeMap<>();
		for (Path module : modules()) {
			Path info = module.resolve("package-info.java");
			if (!Files.exists(info)) {
				continue;
			}
			String javadoc = read(info).replaceAll("(?m)^\\s*\\*", " ");
			List<String> tables = new ArrayList<>();
			Matcher owns = OWNS.matcher(javadoc);
			while (owns.find()) {
				Matcher code = CODE.matcher(owns.group(1));
				while (code.find()) {
					tables.add(code.group(1));
				}
			}
			owners.put(module.getFileName().toString(), tables);
		}
		return owners;
	}

	/** Every table and view the migrations create and no later migration drops. */
	static TreeSet<String> created() {
		TreeSet<String> tables = new TreeSet<>();
		TreeSet<String> dropped = new TreeSet<>();
		try (Stream<Path> files = Files.list(MIGRATIONS)) {
			files.filter((file) -> file.toString().endsWith(".sql")).forEach((file) -> {
				String migration = read(file);
				Matcher matcher = CREATED.matcher(migration);
				while (matcher.find()) {
					tables.add(matcher.group(1).toLowerCase(Locale.ROOT));
				}
				Matcher drops = DROPPED.matcher(migration);
				while (drops.find()) {
					dropped.add(drops.group(1).toLowerCase(Locale.ROOT));
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		tables.removeAll(dropped);
		return tables;
	}

	/**
	 * Each place a module's SQL names a table another module owns, as
	 * {@code "module/path/File.java -> table"}.
	 * @param exempt modules whose SQL may name every table
	 */
	static TreeSet<String> foreignTablesInSql(Map<String, List<String>> owners, List<String> exempt) {
		Map<String, String> ownerOf = new LinkedHashMap<>();
		owners.forEach((module, tables) -> tables.forEach((table) -> ownerOf.put(table, module)));
		TreeSet<String> found = new TreeSet<>();
		for (Path module : modules()) {
			String name = module.getFileName().toString();
			if (exempt.contains(name)) {
				continue;
			}
			for (Path file : javaFiles(module)) {
				for (String sql : sqlLiterals(read(file))) {
					ownerOf.forEach((table, owner) -> {
						if (!owner.equals(name) && Pattern.compile("\\b" + table + "\\b").matcher(sql).find()) {
							found.add(SOURCES.relativize(file).toString().replace('\\', '/') + " -> " + table);
						}
					});
				}
			}
		}
		return found;
	}

	/** The SQL among a Java source's string literals and text blocks. */
	static List<String> sqlLiterals(String source) {
		List<String> literals = new ArrayList<>();
		Matcher blocks = TEXT_BLOCK.matcher(source);
		StringBuilder rest = new StringBuilder();
		while (blocks.find()) {
			literals.add(blocks.group(1));
			blocks.appendReplacement(rest, "\"\"");
		}
		blocks.appendTail(rest);
		String code = CHAR_LITERAL.matcher(rest).replaceAll("' '");
		Matcher strings = STRING_LITERAL.matcher(code);
		while (strings.find()) {
			literals.add(strings.group(1));
		}
		return literals.stream().filter((literal) -> SQL.matcher(literal).find()).toList();
	}

	private static List<Path> modules() {
		try (Stream<Path> entries = Files.list(SOURCES)) {
			return entries.filter(Files::isDirectory).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Path> javaFiles(Path module) {
		try (Stream<Path> files = Files.walk(module)) {
			return files.filter((file) -> file.toString().endsWith(".java")).sorted().toList();
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
