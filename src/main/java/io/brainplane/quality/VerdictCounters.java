package io.brainplane.quality;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code brain.hits.verdicts}: searches counted by version, verdict ({@code hit} or
 * {@code miss}) and its source ({@code auto} for the automatic verdict, {@code feedback}
 * for a client's judgement).
 */
@Component
class VerdictCounters {

	private final MeterRegistry registry;

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
		Counter.builder("brain.hits.verdicts")
			.description("Searches by version, verdict and verdict source")
			.tag("version", Long.toString(version))
			.tag("verdict", hit ? "hit" : "miss")
			.tag("source", source)
			.register(this.registry)
			.increment();
	}

}
