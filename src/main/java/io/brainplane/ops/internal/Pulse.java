package io.brainplane.ops.internal;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One pulse as recorded in {@code pulse_logs}.
 *
 * @param kind {@code morning}, {@code evening} or {@code manual}
 * @param delivered whether the webhook accepted it
 * @param error why delivery failed (no secrets), absent when delivered
 */
public record Pulse(long id, String kind, Instant at, PulseSummary summary, boolean delivered,
		@JsonInclude(JsonInclude.Include.NON_NULL) String error) {

	Pulse withDelivery(PulseDelivery delivery) {
		return new Pulse(this.id, this.kind, this.at, this.summary, delivery.delivered(), delivery.error());
	}

}
