package io.brainplane.protect.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Buckets in this replica's memory, bounded: a Caffeine cache that forgets idle clients
 * and holds at most a configured number of them, so a flood of addresses cannot exhaust
 * the heap.
 */
public final class MemoryRateLimiter implements RateLimiter {

	private final Cache<String, Bucket> buckets;

	MemoryRateLimiter(RateLimitProperties properties) {
		this.buckets = Caffeine.newBuilder()
			.maximumSize(properties.memoryMaxClients())
			.expireAfterAccess(properties.memoryIdleExpiry())
			.build();
	}

	@Override
	public ConsumptionProbe tryConsume(String bucket, long perMinute) {
		return this.buckets.get(bucket, (key) -> Bucket.builder().addLimit(RateLimiter.perMinute(perMinute)).build())
			.tryConsumeAndReturnRemaining(1);
	}

}
