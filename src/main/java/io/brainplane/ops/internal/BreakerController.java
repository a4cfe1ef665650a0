package io.brainplane.ops.internal;

import java.util.Comparator;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/breakers}: the state of this replica's circuit breakers (the search
 * record writer, the embedding endpoint, the pulse webhook), the same figures the
 * Actuator health shows on the management port, for clients of the API port.
 */
@RestController
class BreakerController {

	private final CircuitBreakerRegistry registry;

	BreakerController(CircuitBreakerRegistry registry) {
		this.registry = registry;
	}

	@GetMapping("/brain/breakers")
	Breakers breakers() {
		return new Breakers(this.registry.getAllCircuitBreakers()
			.stream()
			.sorted(Comparator.comparing(CircuitBreaker::getName))
			.map(BreakerController::describe)
			.toList());
	}

	private static Breaker describe(CircuitBreaker breaker) {
		CircuitBreaker.Metrics metrics = breaker.getMetrics();
		return new Breaker(breaker.getName(), breaker.getState().name(), rate(metrics.getFailureRate()),
				rate(metrics.getSlowCallRate()), metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls(),
				metrics.getNumberOfNotPermittedCalls());
	}

	/** Resilience4j reports -1 until enough calls were made. */
	private static Float rate(float percent) {
		return (percent < 0) ? null : percent;
	}

	/** The body: every breaker by name. */
	record Breakers(List<Breaker> breakers) {
	}

	/**
	 * One breaker: state CLOSED, OPEN, HALF_OPEN (or DISABLED, FORCED_OPEN,
	 * METRICS_ONLY); rates in percent, null until the breaker has seen enough calls.
	 */
	record Breaker(String name, String state, Float failureRate, Float slowCallRate, int bufferedCalls, int failedCalls,
			long notPermittedCalls) {
	}

}
