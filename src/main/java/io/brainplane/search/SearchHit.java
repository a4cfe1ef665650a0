package io.brainplane.search;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One result: a chunk and what the client shows of its document.
 *
 * @param score lexical: the BM25 score; semantic: the cosine similarity mapped to 0..1
 * ({@code (1 + cos) / 2}); hybrid: the fused score on 0..1 (see
 * {@code brain.search.fusion})
 * @param metadata the document's metadata, a JSON object
 */
public record SearchHit(String documentKey, String title, long chunkId, float score, String text, String source,
		@JsonRawValue String metadata) {
}
