package io.brainplane.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import io.brainplane.search.internal.QueryFactory;

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

}
