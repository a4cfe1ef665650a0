package io.brainplane.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Brain-Signature: sha256=<hex HMAC-SHA256 of the raw body>}, checked in
 * constant time.
 */
public final class WebhookSignature {

	private static final String PREFIX = "sha256=";

	private WebhookSignature() {
	}

	static boolean matches(String secret, byte[] body, String header) {
		if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
			return false;
		}
		byte[] presented;
		try {
			presented = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(sign(secret, body), presented);
	}

	static byte[] sign(String secret, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
