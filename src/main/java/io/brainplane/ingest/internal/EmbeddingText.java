package io.brainplane.ingest.internal;

import org.springframework.lang.Nullable;

/**
 * What the model is given for a chunk: its document's title, a blank line, the chunk
 * text. The title places a chunk cut from the middle of a document; its SHA-256 is the
 * key an embedding is stored and shared under (the migration computes the same in SQL).
 */
public final class EmbeddingText {

	private EmbeddingText() {
	}

	static String prefix(@Nullable String title) {
		return (title != null) ? title + "\n\n" : "";
	}

}
