package io.brainplane.protect.internal;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rate limits, per API key (or client address when anonymous) and route class.
 *
 * @param enabled whether requests are limited at all
 * @param searchPerMinute searches and feedback a client may send per minute
 * @param webhookPerMinute webhook deliveries a client may send per minute
 * @param defaultPerMinute any other {@code /brain} call a client may make per minute
 * @param store {@code memory} (this replica only) or {@code postgres} (one limit shared
 * by every replica on the database)
 * @param trustForwardedFor whether an anonymous client's address is the first
 * {@code X-Forwarded-For} entry (only behind a proxy that sets it) instead of the socket
 * address
 * @param memoryMaxClients most buckets the memory store keeps; idle ones expire first
 * @param memoryIdleExpiry how long the memory store keeps a bucket nobody uses
 */
@Validated
@ConfigurationProperties("brain.ratelimit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("100") @Min(1) long searchPerMinute, @DefaultValue("60") @Min(1) long webhookPerMinute,
		@DefaultValue("300") @Min(1) long defaultPerMinute, @DefaultValue("memory") Store store,
		@DefaultValue("false") boolean trustForwardedFor, @DefaultValue("100000") @Min(1) long memoryMaxClients,
		@DefaultValue("5m") Duration memoryIdleExpiry) {

	/**
	 * Where buckets live.
	 */
	public enum Store {

		MEMORY, POSTGRES

	}

}
