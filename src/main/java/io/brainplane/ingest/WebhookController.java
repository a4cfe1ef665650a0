package io.brainplane.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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
 * {@code POST /brain/webhook}: a content pipeline's delivery, signed as Standard Webhooks
 * specifies ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}).
 * The raw body is read under {@code brain.webhook.max-bytes}, the timestamp checked
 * against {@code brain.webhook.tolerance} and the signature over
 * {@code "{id}.{timestamp}.{body}"} checked before the body is parsed; without a
 * configured secret the endpoint does not exist.
 */
@RestController
class WebhookController {

	static final String ID = "webhook-id";

	static final String TIMESTAMP = "webhook-timestamp";

	static final String SIGNATURE = "webhook-signature";

	private final WebhookService webhooks;

	private final WebhookProperties properties;

	private final WebhookSignature signature;

	private final Clock clock;

	private final ObjectReader reader;

	WebhookController(WebhookService webhooks, WebhookProperties properties, ObjectMapper objectMapper, Clock clock) {
		this.webhooks = webhooks;
		this.properties = properties;
		this.signature = properties.enabled() ? properties.signature() : null;
		this.clock = clock;
		this.reader = objectMapper.readerFor(WebhookRequest.class);
	}

	@PostMapping("/brain/webhook")
	ResponseEntity<WebhookResult> deliver(@RequestHeader(name = ID, required = false) @Nullable String id,
			@RequestHeader(name = TIMESTAMP, required = false) @Nullable String timestamp,
			@RequestHeader(name = SIGNATURE, required = false) @Nullable String signature, HttpServletRequest request)
			throws IOException {
		if (this.signature == null) {
			throw BrainProblem.notFound("not-found", "No webhook is configured here (brain.webhook.secret is not set)");
		}
		byte[] body = readBody(request);
		if (id == null || id.isBlank() || id.length() > 200 || id.chars().anyMatch(Character::isISOControl)) {
			throw BrainProblem.invalid(ID, "is required: 1 to 200 printable characters naming this delivery");
		}
		long sentAt = seconds(timestamp);
		Duration skew = Duration.between(Instant.ofEpochSecond(sentAt), this.clock.instant()).abs();
		if (skew.compareTo(this.properties.tolerance()) > 0) {
			throw new BrainProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					TIMESTAMP + " is " + skew.toSeconds() + " s away from this server's clock; at most "
							+ this.properties.tolerance().toSeconds() + " s are accepted (a replay, or a wrong clock)");
		}
		if (!this.signature.matches(id, timestamp, body, signature)) {
			throw new BrainProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", SIGNATURE
					+ " is missing or holds no v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{body}\"> "
					+ "keyed with the whsec_ secret");
		}
		WebhookResult result = this.webhooks.deliver(id.strip(), parse(body, request));
		return ResponseEntity.accepted().body(result);
	}

	private static long seconds(@Nullable String timestamp) {
		if (timestamp == null || !timestamp.matches("[0-9]{1,12}")) {
			throw BrainProblem.invalid(TIMESTAMP, "is required: the sending time in seconds since the epoch");
		}
		return Long.parseLong(timestamp);
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
