package io.brainplane.quality.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code brain.hits.verdicts}: searches counted by version, verdict ({@code hit} or
 * {@code miss}) and its source ({@code auto} for the automatic verdict, {@code feedback}
 * for a client's judgement).
 */
@Component
public class VerdictCounters {

	private final MeterRegistry registry;

	/**
	 * Registered counters, so that counting a search is a map lookup, not a registration.
	 */
	private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

	VerdictCounters(MeterRegistry registry) {
		this.registry = registry;
	}

	void automatic(long version, boolean hit) {
		count(version, hit, "auto");
	}

	void feedback(long version, boolean relevant) {
		count(version, relevant, "feedback");
	}

	private void count(long version, boolean hit, String source) {
		this.counters.computeIfAbsent(new Key(version, hit, source), this::register).increment();
	}

	private Counter register(Key key) {
		return Counter.builder("brain.hits.verdicts")
			.description("Searches by version, verdict and verdict source")
			.tag("version", Long.toString(key.version()))
			.tag("verdict", key.hit() ? "hit" : "miss")
			.tag("source", key.source())
			.register(this.registry);
	}

	private record Key(long version, boolean hit, String source) {
	}

}
