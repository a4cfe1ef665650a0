package io.brainplane.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of text (UTF-8): API keys, embedding texts and recorded queries are compared by
 * it. Every Java runtime has SHA-256, so its absence is a broken runtime, not an error to
 * handle.
 */
public final class Sha256 {

	private Sha256() {
	}

	/** A new SHA-256 digest, for hashing a stream of bytes. */
	public static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The 32 bytes of the text's SHA-256. */
	public static byte[] of(String text) {
		return digest().digest(text.getBytes(StandardCharsets.UTF_8));
	}

	/** The text's SHA-256 in lower-case hex (64 characters). */
	public static String hex(String text) {
		return HexFormat.of().formatHex(of(text));
	}

}
