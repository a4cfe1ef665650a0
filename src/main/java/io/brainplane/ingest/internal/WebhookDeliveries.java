package io.brainplane.ingest.internal;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.platform.BrainProblem;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Delivery ids seen by the webhook, in PostgreSQL so every replica knows them. A delivery
 * is claimed (PENDING) before it is applied and completed (DONE, with its result) after;
 * a failed delivery releases its claim so the sender's retry is applied afresh. A claim
 * older than ten minutes is taken to be from a replica that died mid-delivery.
 */
@Component
public class WebhookDeliveries {

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	WebhookDeliveries(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * @return empty when the delivery is claimed for this caller, or the result of its
	 * earlier, completed delivery
	 */
	Optional<WebhookResult> claim(String delivery) {
		boolean claimed = this.jdbc
			.sql("""
					insert into webhook_delivery (id, state) values (?, 'PENDING')
					on conflict (id) do update set received_at = now()
					where webhook_delivery.state = 'PENDING' and webhook_delivery.received_at < now() - interval '10 minutes'
					returning id
					""")
			.param(delivery)
			.query(String.class)
			.optional()
			.isPresent();
		if (claimed) {
			return Optional.empty();
		}
		String response = this.jdbc.sql("select response::text from webhook_delivery where id = ? and state = 'DONE'")
			.param(delivery)
			.query(String.class)
			.optional()
			.orElseThrow(() -> BrainProblem.conflict("delivery-in-progress",
					"delivery " + delivery + " is being applied right now; retry later for its result"));
		try {
			return Optional.of(this.json.readValue(response, WebhookResult.class));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("stored webhook result unreadable", ex);
		}
	}

	void complete(WebhookResult result) {
		String response;
		try {
			response = this.json.writeValueAsString(result);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		this.jdbc.sql("""
				update webhook_delivery set state = 'DONE', version = ?, response = ?::jsonb, completed_at = now()
				where id = ?
				""").params(result.version(), response, result.delivery()).update();
	}

	void release(String delivery) {
		this.jdbc.sql("delete from webhook_delivery where id = ? and state = 'PENDING'").param(delivery).update();
	}

}
