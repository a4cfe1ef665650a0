package io.brainplane.support;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.pollinterval.PollInterval;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test JVM's Awaitility defaults, registered for every test class through JUnit's
 * extension auto-detection ({@code junit-platform.properties}). Awaitility's own default
 * checks first after 100 ms and then every 100 ms, so each wait lasted at least 100 ms
 * and up to 100 ms past its event; the suite runs hundreds of them. Here the condition is
 * checked at once, then after 5, 10, 20, 40 and 80 ms, then every 100 ms: a wait ends
 * within a few milliseconds of a quick event, and a long one polls no more often than
 * before. A wait that gives its own {@code pollInterval} keeps it (without the initial
 * delay).
 */
public final class AwaitilityDefaults implements BeforeAllCallback {

	static final Duration FIRST = Duration.ofMillis(5);

	static final Duration MOST = Duration.ofMillis(100);

	static {
		Awaitility.setDefaultPollDelay(Duration.ZERO);
		Awaitility.setDefaultPollInterval(backoff());
	}

	/** 5 ms, doubling up to 100 ms. */
	static PollInterval backoff() {
		return (pollCount, previous) -> {
			long millis = FIRST.toMillis() << Math.min(Math.max(pollCount - 1, 0), 10);
			return (millis >= MOST.toMillis()) ? MOST : Duration.ofMillis(millis);
		};
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// the static initializer has set the defaults once for this JVM
	}

}
