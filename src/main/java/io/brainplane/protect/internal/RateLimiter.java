package io.brainplane.protect.internal;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Takes one token from a client's bucket. The answer is a value: whether it was taken,
 * what remains and how long until the next refill.
 */
public interface RateLimiter {

	ConsumptionProbe tryConsume(String bucket, long perMinute);

	/**
	 * {@code perMinute} requests a minute, the whole allowance coming back each minute:
	 * the 101st request of a minute at 100/min is refused however fast or slow the first
	 * hundred came.
	 */
	static Bandwidth perMinute(long limit) {
		return Bandwidth.builder().capacity(limit).refillIntervally(limit, Duration.ofMinutes(1)).build();
	}

}
