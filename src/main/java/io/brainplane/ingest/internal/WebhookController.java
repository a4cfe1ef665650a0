package io.brainplane.ingest.internal;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /brain/webhook}: a content pipeline's signed delivery. The raw body is read
 * under {@code brain.webhook.max-bytes} and its signature checked before it is parsed;
 * without a configured secret the endpoint does not exist.
 */
@RestController
public class WebhookController {

	static final String SIGNATURE = "X-Brain-Signature";

	static final String DELIVERY = "X-Brain-Delivery";

	private final WebhookService webhooks;

	private final WebhookProperties properties;

	private final ObjectReader reader;

	WebhookController(WebhookService webhooks, WebhookProperties properties, ObjectMapper objectMapper) {
		this.webhooks = webhooks;
		this.properties = properties;
		this.reader = objectMapper.readerFor(WebhookRequest.class);
	}

	@PostMapping("/brain/webhook")
	ResponseEntity<WebhookResult> deliver(@RequestHeader(name = SIGNATURE, required = false) @Nullable String signature,
			@RequestHeader(name = DELIVERY, required = false) @Nullable String delivery, HttpServletRequest request)
			throws IOException {
		if (!this.properties.enabled()) {
			throw BrainProblem.notFound("not-found", "No webhook is configured here (brain.webhook.secret is not set)");
		}
		byte[] body = readBody(request);
		if (!WebhookSignature.matches(this.properties.secret(), body, signature)) {
			throw new BrainProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					SIGNATURE + " is missing or is not sha256=<hex HMAC-SHA256 of the body with the shared secret>");
		}
		if (delivery == null || delivery.isBlank() || delivery.length() > 200
				|| delivery.chars().anyMatch(Character::isISOControl)) {
			throw BrainProblem.invalid(DELIVERY, "is required: 1 to 200 printable characters naming this delivery");
		}
		WebhookResult result = this.webhooks.deliver(delivery.strip(), parse(body, request));
		return ResponseEntity.accepted().body(result);
	}

	private byte[] readBody(HttpServletRequest request) throws IOException {
		long max = this.properties.maxBytes().toBytes();
		if (request.getContentLengthLong() > max) {
			throw new PayloadTooLargeException(max);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
			if (body.length > max) {
				throw new PayloadTooLargeException(max);
			}
			return body;
		}
	}

	private WebhookRequest parse(byte[] body, HttpServletRequest request) {
		try {
			WebhookRequest parsed = this.reader.readValue(body);
			if (parsed == null) {
				throw BrainProblem.invalid("body", "must be a JSON object");
			}
			return parsed;
		}
		catch (IOException ex) {
			// The platform's handler turns this into the same 400 as any unreadable body.
			throw new HttpMessageNotReadableException("unreadable webhook body", ex,
					new ServletServerHttpRequest(request));
		}
	}

}
