package io.brainplane.search;

/**
 * Field names of a local index document (one per chunk).
 */
final class IndexFields {

	static final String CHUNK_ID = "chunk_id";

	static final String DOCUMENT_KEY = "doc_key";

	static final String TITLE = "title";

	static final String TEXT = "text";

	static final String SOURCE = "source";

	static final String METADATA = "metadata";

	private IndexFields() {
	}

}
