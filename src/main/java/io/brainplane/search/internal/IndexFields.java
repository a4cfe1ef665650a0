package io.brainplane.search.internal;

/**
 * Field names of a local index document (one per chunk).
 */
public final class IndexFields {

	static final String CHUNK_ID = "chunk_id";

	public static final String DOCUMENT_KEY = "doc_key";

	static final String TITLE = "title";

	public static final String TEXT = "text";

	static final String SOURCE = "source";

	static final String METADATA = "metadata";

	/** Unit-length chunk vectors, HNSW, dot product. */
	static final String VECTOR = "vector";

	/** Commit user data: the embedding model of the vectors. */
	static final String MODEL_KEY = "embedding_model";

	/**
	 * A file beside the Lucene files of a local index directory: the version's rebuild
	 * count ({@link io.brainplane.index.VersionLookup#rebuilds(long)}) the copy was
	 * built, fetched or rebuilt at; absent means 0. Never linked into a version built on
	 * it.
	 */
	public static final String REBUILD_FILE = "brainplane-rebuild";

	private IndexFields() {
	}

}
