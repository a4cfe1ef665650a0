package io.brainplane.search.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import org.springframework.lang.Nullable;

/**
 * Turns free text into a bag-of-words BM25 query over chunk text and title. No query
 * syntax is interpreted, so {@code *}, {@code ~}, {@code :}, quotes or unbalanced
 * parentheses are just characters; distinct terms are capped so a pasted book cannot
 * explode the query.
 */
public final class QueryFactory {

	private static final float TITLE_BOOST = 0.5f;

	/** Each term is searched in two fields: text and title. */
	private static final int CLAUSES_PER_TERM = 2;

	private final Analyzer analyzer = BrainAnalyzers.forQueries();

	private final int maxTerms;

	/**
	 * @param maxTerms distinct terms searched; never more than Lucene's clause limit
	 * allows (its {@code TooManyClauses} would turn a long query into a 500), whatever
	 * the configuration says
	 */
	public QueryFactory(int maxTerms) {
		this.maxTerms = Math.min(maxTerms, maxTermsLuceneAllows());
	}

	/** Distinct terms whose two clauses each stay within Lucene's clause limit. */
	static int maxTermsLuceneAllows() {
		return IndexSearcher.getMaxClauseCount() / CLAUSES_PER_TERM;
	}

	/** The query, or null when the text has no searchable term (only stop words, say). */
	public Query create(String text) {
		return create(terms(text));
	}

	/** The query over already analysed terms, or null when there are none. */
	public Query create(Set<String> terms) {
		return create(terms, null, null);
	}

	/**
	 * The query over already analysed terms, with their text and title statistics already
	 * looked up in the index it will search ({@link VersionIndex#textStatistics},
	 * {@link VersionIndex#titleStatistics}, in the terms' order), so that building the
	 * query's weight looks no term up again: the same query, the same scores. Null when
	 * there are no terms.
	 */
	public Query create(Set<String> terms, @Nullable TermStates[] textStatistics,
			@Nullable TermStates[] titleStatistics) {
		if (terms.isEmpty()) {
			return null;
		}
		BooleanQuery.Builder query = new BooleanQuery.Builder();
		int i = 0;
		for (String term : terms) {
			Term text = new Term(IndexFields.TEXT, term);
			Term title = new Term(IndexFields.TITLE, term);
			query.add((textStatistics != null) ? new TermQuery(text, textStatistics[i]) : new TermQuery(text),
					BooleanClause.Occur.SHOULD);
			query.add(new BoostQuery(
					(titleStatistics != null) ? new TermQuery(title, titleStatistics[i]) : new TermQuery(title),
					TITLE_BOOST), BooleanClause.Occur.SHOULD);
			i++;
		}
		return query.build();
	}

	public Set<String> terms(String text) {
		Set<String> terms = new LinkedHashSet<>();
		try (TokenStream stream = this.analyzer.tokenStream(IndexFields.TEXT, text)) {
			CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
			stream.reset();
			while (terms.size() < this.maxTerms && stream.incrementToken()) {
				terms.add(term.toString());
			}
			stream.end();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return terms;
	}

}
