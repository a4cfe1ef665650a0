package io.brainplane.index;

import org.springframework.lang.Nullable;

/**
 * A chunk with what a search result shows of its document.
 *
 * @param metadata the document's metadata as a JSON object text
 * @param vector the chunk's unit-length vector from the version's model, or null
 */
public record IndexableChunk(long chunkId, String documentKey, int ordinal, String title, String text, String source,
		String metadata, @Nullable float[] vector) {
}
