package io.brainplane.ingest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> signature:
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}, keyed
 * with the bytes of a {@code whsec_<base64>} secret. The header may carry several
 * space-separated signatures (a sender rotating its secret signs with both); one match is
 * enough. Compared in constant time.
 */
final class WebhookSignature {

	static final String SECRET_PREFIX = "whsec_";

	private static final String VERSION = "v1,";

	private final byte[] key;

	private WebhookSignature(byte[] key) {
		this.key = key;
	}

	/**
	 * @param secret {@code whsec_} followed by the base64 of at least 24 random bytes
	 * @throws IllegalArgumentException when the secret is not of that form (the message
	 * never contains the secret)
	 */
	static WebhookSignature of(String secret) {
		String trimmed = secret.strip();
		if (!trimmed.startsWith(SECRET_PREFIX)) {
			throw new IllegalArgumentException("brain.webhook.secret must be whsec_ followed by base64 "
					+ "(Standard Webhooks), e.g. whsec_$(openssl rand -base64 32)");
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(trimmed.substring(SECRET_PREFIX.length()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("brain.webhook.secret: the part after whsec_ is not valid base64");
		}
		if (key.length < 24) {
			throw new IllegalArgumentException(
					"brain.webhook.secret must hold at least 24 bytes (the base64 of 24 or more random bytes)");
		}
		return new WebhookSignature(key);
	}

	/**
	 * Whether one of the header's space-separated {@code v1,} signatures signs this id,
	 * timestamp and body.
	 */
	boolean matches(String id, String timestamp, byte[] body, String header) {
		if (header == null || header.isBlank()) {
			return false;
		}
		byte[] expected = sign(id, timestamp, body);
		boolean matched = false;
		for (String candidate : header.strip().split(" +")) {
			if (!candidate.startsWith(VERSION)) {
				continue;
			}
			byte[] presented;
			try {
				presented = Base64.getDecoder().decode(candidate.substring(VERSION.length()));
			}
			catch (IllegalArgumentException ex) {
				continue;
			}
			// no early exit: every candidate is compared
			matched |= MessageDigest.isEqual(expected, presented);
		}
		return matched;
	}

	byte[] sign(String id, String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
