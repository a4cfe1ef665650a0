package io.brainplane.search.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.custom.CustomAnalyzer;

/**
 * English analysis that also copes with code and numbers: the standard tokenizer keeps
 * {@code user_id}, {@code v2.3.1} and {@code getUserName} whole; a word-delimiter filter
 * adds their parts ({@code user}, {@code id}, {@code get}, {@code name}, ...) beside the
 * original; then lower-casing, English stop words and Porter stemming. Index and query
 * analysis differ only in flattening the token graph, which indexing needs.
 */
public final class BrainAnalyzers {

	private BrainAnalyzers() {
	}

	static Analyzer forIndexing() {
		return build(true);
	}

	public static Analyzer forQueries() {
		return build(false);
	}

	private static Analyzer build(boolean indexing) {
		try {
			CustomAnalyzer.Builder builder = CustomAnalyzer.builder()
				.withTokenizer("standard", new HashMap<>(Map.of("maxTokenLength", "255")))
				.addTokenFilter("wordDelimiterGraph",
						new HashMap<>(Map.of("preserveOriginal", "1", "generateWordParts", "1", "generateNumberParts",
								"1", "splitOnCaseChange", "1", "splitOnNumerics", "1", "stemEnglishPossessive", "1")));
			if (indexing) {
				builder.addTokenFilter("flattenGraph");
			}
			return builder.addTokenFilter("lowercase")
				.addTokenFilter("stop", new HashMap<>(Map.of("ignoreCase", "true")))
				.addTokenFilter("porterStem")
				.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
