package io.brainplane.ingest;

/**
 * A chunk with what a search result shows of its document.
 *
 * @param metadata the document's metadata as a JSON object text
 */
public record IndexableChunk(long chunkId, String documentKey, int ordinal, String title, String text, String source,
		String metadata) {
}
