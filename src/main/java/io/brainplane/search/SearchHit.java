package io.brainplane.search;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One result: a chunk and what the client shows of its document.
 *
 * @param score the BM25 score of the chunk for the query
 * @param metadata the document's metadata, a JSON object
 */
public record SearchHit(String documentKey, String title, long chunkId, float score, String text, String source,
		@JsonRawValue String metadata) {
}
