package io.brainplane.index;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A version's chunks, streamed for whoever builds a local index (the search module),
 * implemented by the module that stores documents (ingest). Implementations stream from
 * the database in batches and never hold a version's chunks in memory.
 */
public interface VersionChunks {

	/**
	 * The model a version's vectors come from, or empty when it is lexical only.
	 */
	Optional<String> embeddingModel(long version);

	/**
	 * Every chunk of the version, each with its vector from the version's model (null
	 * when it has none).
	 */
	void forEachChunk(long version, Consumer<IndexableChunk> consumer);

	/**
	 * Only the chunks of the version's documents whose revision differs from the base's
	 * (changed or added ones): what an index built on the base's lacks. The base is the
	 * sealed version the version was created from (its parent): the version's changes
	 * since are read by key.
	 */
	void forEachChunkNotIn(long version, long base, Consumer<IndexableChunk> consumer);

	/**
	 * How the version differs from its base (its parent, as for
	 * {@link #forEachChunkNotIn}).
	 */
	Change change(long version, long base);

	/**
	 * A version's difference from its base.
	 *
	 * @param removedKeys the base's documents the version changed or removed
	 * @param removedChunks how many chunks the base holds for them
	 * @param addedChunks how many chunks the version's changed and new documents have
	 */
	record Change(List<String> removedKeys, long removedChunks, long addedChunks) {
	}

}
