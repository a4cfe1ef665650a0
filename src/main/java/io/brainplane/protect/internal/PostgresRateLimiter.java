package io.brainplane.protect.internal;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Buckets in PostgreSQL (table {@code brain_rate_limit}), so every replica on the
 * database counts against one limit. Each check is a short {@code SELECT ... FOR UPDATE}
 * transaction on the bucket's row; rows of buckets that have refilled completely expire
 * and are removed in the background.
 */
public final class PostgresRateLimiter implements RateLimiter {

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	PostgresRateLimiter(DataSource dataSource) {
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("brain_rate_limit")
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
			.build();
	}

	@Override
	public ConsumptionProbe tryConsume(String bucket, long perMinute) {
		return this.buckets
			.getProxy(bucket, () -> BucketConfiguration.builder().addLimit(RateLimiter.perMinute(perMinute)).build())
			.tryConsumeAndReturnRemaining(1);
	}

	@Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
	void removeExpired() {
		this.buckets.removeExpired(1000);
	}

}
