package io.brainplane.quality.internal;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.ReplicaStatus;
import io.brainplane.quality.Figures;
import io.brainplane.quality.LiveFigures;
import io.brainplane.quality.QualityFigures;
import io.brainplane.quality.QualityFiguresRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@link QualityFigures} over the per-minute rollups in {@code brain_metrics}. The live
 * figures of the active version are refreshed by a background tick (every second it looks
 * at the application clock; a refresh is due every {@code brain.quality.refresh-interval}
 * or when the active version changed), so readers of {@link #live()} never wait for the
 * database.
 */
@Component
public class RollupFigures implements QualityFigures {

	/** The window of the live figures (health checks). */
	static final Duration LIVE_WINDOW = Duration.ofHours(1);

	private static final Logger log = LoggerFactory.getLogger(RollupFigures.class);

	private final JdbcClient jdbc;

	private final MetricsRollup rollup;

	private final Clock clock;

	private final ReplicaStatus replica;

	private final QualityProperties properties;

	private final ApplicationEventPublisher events;

	private volatile LiveFigures live;

	/**
	 * The last failed attempt, if the last attempt failed: the next waits an interval.
	 */
	private volatile Instant failedAt;

	RollupFigures(JdbcClient jdbc, MetricsRollup rollup, Clock clock, ReplicaStatus replica,
			QualityProperties properties, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.rollup = rollup;
		this.clock = clock;
		this.replica = replica;
		this.properties = properties;
		this.events = events;
	}

	@Override
	public Figures since(Instant from) {
		this.rollup.catchUp();
		Tally tally = new Tally(0);
		read(from, null, null, tally::add);
		return tally.figures(minute(from));
	}

	@Override
	public Figures ofVersion(long version, Instant from, @Nullable Instant to) {
		this.rollup.catchUp();
		Tally tally = new Tally(version);
		read(from, to, version, tally::add);
		return tally.figures(minute(from));
	}

	@Override
	public Optional<LiveFigures> live() {
		return Optional.ofNullable(this.live);
	}

	@Override
	public Double freshnessSeconds() {
		return this.replica.active()
			.map(ActiveSnapshot::sealedAt)
			.map((sealed) -> Duration.between(sealed, this.clock.instant()).toMillis() / 1000.0)
			.orElse(null);
	}

	@Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.SECONDS)
	void tick() {
		Instant now = this.clock.instant();
		Long active = this.replica.active().map(ActiveSnapshot::version).orElse(null);
		LiveFigures last = this.live;
		boolean changed = last == null || !Objects.equals(active, last.version());
		boolean due = last == null || elapsed(last.refreshedAt(), now);
		if ((changed || due) && (this.failedAt == null || elapsed(this.failedAt, now))) {
			refresh(now, active);
		}
	}

	/**
	 * Whether a refresh interval has passed since {@code since}; also when the clock went
	 * back before it, so a clock set back never stops the refreshes.
	 */
	private boolean elapsed(Instant since, Instant now) {
		return now.isBefore(since) || !now.isBefore(since.plus(this.properties.refreshInterval()));
	}

	/** Computes the live figures now. */
	void refresh(Instant now, @Nullable Long active) {
		try {
			Figures figures = (active != null) ? ofVersion(active, now.minus(LIVE_WINDOW), null)
					: Figures.none(minute(now.minus(LIVE_WINDOW)));
			LiveFigures refreshed = new LiveFigures(active, figures, now);
			this.live = refreshed;
			this.failedAt = null;
			this.events.publishEvent(new QualityFiguresRefreshed(refreshed));
		}
		catch (RuntimeException ex) {
			// The last figures stay; they show when they were computed.
			this.failedAt = now;
			log.debug("Quality figures not refreshed: {}", ex.getClass().getSimpleName());
		}
	}

	/**
	 * Feeds the rollups of the minutes from the one holding {@code from} to the one
	 * holding {@code to} (or the newest), of one version or all.
	 */
	void read(Instant from, @Nullable Instant to, @Nullable Long version, Consumer<Row> rows) {
		Timestamp first = Timestamp.from(minute(from));
		Timestamp last = (to != null) ? Timestamp.from(minute(to)) : null;
		this.jdbc.sql("""
				select version, requests, hits, auto_hits, judged, judged_hits, latency_max_ms, latency_buckets, minute
				from brain_metrics
				where minute >= ? and (?::timestamptz is null or minute <= ?) and (?::bigint is null or version = ?)
				""").params(first, last, last, version, version).query((rs) -> {
			Array array = rs.getArray(8);
			rows.accept(new Row(rs.getTimestamp(9).toInstant(), rs.getLong(1), rs.getLong(2), rs.getLong(3),
					rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getDouble(7), (Integer[]) array.getArray()));
		});
	}

	static Instant minute(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MINUTES);
	}

	/** One row of {@code brain_metrics}: one version's searches in one minute. */
	record Row(Instant minute, long version, long requests, long hits, long autoHits, long judged, long judgedHits,
			double maxMs, Integer[] buckets) {
	}

}
