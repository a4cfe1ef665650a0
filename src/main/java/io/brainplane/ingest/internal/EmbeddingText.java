package io.brainplane.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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

	static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
