package io.brainplane.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries as a content pipeline would, by the Standard Webhooks scheme:
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">} keyed
 * with the bytes of a {@code whsec_<base64>} secret.
 */
public final class Webhooks {

	private Webhooks() {
	}

	/** One {@code v1,<base64>} signature. */
	public static String signature(String secret, String id, long timestamp, String body) {
		try {
			byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Seconds since the epoch, by the real clock. */
	public static long now() {
		return Instant.now().getEpochSecond();
	}

	/** The three headers, with a signature of the caller's choosing. */
	public static Map<String, String> headers(String id, long timestamp, String signature) {
		return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
	}

	/** Posts the body signed with the test secret under the delivery id, sent now. */
	public static Api.Response deliver(Api api, String delivery, String body) {
		return deliver(api, delivery, now(), body);
	}

	/** Posts the body signed with the test secret under the delivery id and timestamp. */
	public static Api.Response deliver(Api api, String delivery, long timestamp, String body) {
		return api
			.withHeaders(headers(delivery, timestamp, signature(TestKeys.WEBHOOK_SECRET, delivery, timestamp, body)))
			.send("POST", "/brain/webhook", body, "application/json");
	}

}
