package io.brainplane.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import io.brainplane.search.internal.QueryFactory;
import io.brainplane.search.internal.IndexFields;
import io.brainplane.search.internal.SearchProperties;
import io.brainplane.search.internal.BrainAnalyzers;

class QueryFactoryTests {

	private final QueryFactory queries = new QueryFactory(256);

	@Test
	void codeIdentifiersAreKeptWholeAndSplitIntoParts() {
		assertThat(this.queries.terms("getUserName")).contains("getusernam", "get", "user", "name");
		assertThat(this.queries.terms("user_id")).contains("user_id", "user", "id");
	}

	@Test
	void versionNumbersAreKeptWholeAndSplit() {
		assertThat(this.queries.terms("v2.3.1")).contains("v2.3.1", "2", "3", "1");
	}

	@Test
	void englishWordsAreStemmedAndStopWordsDropped() {
		assertThat(this.queries.terms("the running dogs")).containsExactlyInAnyOrder("run", "dog");
		assertThat(this.queries.create("the and of")).isNull();
	}

	@Test
	void querySyntaxCharactersAreJustText() {
		assertThat(this.queries.create("title:foo* AND (bar~2 \"baz")).isNotNull();
		assertThat(this.queries.terms("title:foo* AND (bar~2 \"baz")).contains("foo", "bar", "baz");
	}

	@Test
	void distinctTermsAreCapped() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 10_000; i++) {
			text.append("term").append(i).append(' ');
		}
		assertThat(new QueryFactory(50).terms(text.toString())).hasSize(50);
	}

	@Test
	void aLongCjkQueryNeverExceedsLucenesClauseLimitWhateverTheTermCap() throws Exception {
		StringBuilder text = new StringBuilder();
		java.util.Random random = new java.util.Random(11);
		for (int i = 0; i < 5_000; i++) {
			text.append((char) (0x4E00 + random.nextInt(20_000)));
		}
		QueryFactory generous = new QueryFactory(100_000);
		java.util.Set<String> terms = generous.terms(text.toString());
		assertThat(terms).hasSizeGreaterThan(300)
			.hasSizeLessThanOrEqualTo(org.apache.lucene.search.IndexSearcher.getMaxClauseCount() / 2);
		try (org.apache.lucene.store.Directory directory = new org.apache.lucene.store.ByteBuffersDirectory()) {
			try (org.apache.lucene.index.IndexWriter writer = new org.apache.lucene.index.IndexWriter(directory,
					new org.apache.lucene.index.IndexWriterConfig(BrainAnalyzers.forQueries()))) {
				org.apache.lucene.document.Document document = new org.apache.lucene.document.Document();
				document.add(new org.apache.lucene.document.TextField(IndexFields.TEXT, text.toString(),
						org.apache.lucene.document.Field.Store.NO));
				writer.addDocument(document);
			}
			try (org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader
				.open(directory)) {
				assertThat(new org.apache.lucene.search.IndexSearcher(reader).search(generous.create(terms),
						10).totalHits.value)
					.isEqualTo(1);
			}
		}
	}

	@Test
	void aTermCapAboveWhatLuceneAllowsIsRefusedWhenTheConfigurationIsBound() {
		try (jakarta.validation.ValidatorFactory factory = jakarta.validation.Validation
			.buildDefaultValidatorFactory()) {
			assertThat(factory.getValidator()
				.validate(new SearchProperties(0, java.time.Duration.ofMinutes(1), 1000, SearchProperties.Fusion.RRF,
						0.5)))
				.singleElement()
				.satisfies(
						(violation) -> assertThat(violation.getPropertyPath().toString()).isEqualTo("maxQueryTerms"));
			assertThat(factory.getValidator()
				.validate(new SearchProperties(0, java.time.Duration.ofMinutes(1), 500, SearchProperties.Fusion.RRF,
						0.5)))
				.isEmpty();
		}
	}

}
