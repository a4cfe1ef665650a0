package io.brainplane.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clock of the test application context: real time plus an offset that tests move
 * forward with {@link #advance(Duration)}, so windows, retention, leases and tolerances
 * pass in milliseconds instead of being waited out. Time keeps running, so code that
 * waits for real asynchronous work still sees it progress.
 */
public final class MutableClock extends Clock {

	private final Clock base;

	private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

	public MutableClock() {
		this(Clock.systemUTC());
	}

	public MutableClock(Clock base) {
		this.base = base;
	}

	/**
	 * Moves time forward (or back, with a negative duration) for every reader of the
	 * clock.
	 */
	public void advance(Duration duration) {
		this.offset.accumulateAndGet(duration, Duration::plus);
	}

	/** Back to real time. */
	public void reset() {
		this.offset.set(Duration.ZERO);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.base.instant().plus(this.offset.get());
	}

}
