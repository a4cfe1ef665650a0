package io.brainplane.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries as a content pipeline would.
 */
public final class Webhooks {

	private Webhooks() {
	}

	public static String signature(String secret, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Posts the body signed with the test secret under the delivery id. */
	public static Api.Response deliver(Api api, String delivery, String body) {
		return api
			.withHeaders(
					Map.of("X-Brain-Signature", signature(TestKeys.WEBHOOK_SECRET, body), "X-Brain-Delivery", delivery))
			.send("POST", "/brain/webhook", body, "application/json");
	}

}
