package io.brainplane.index;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Where one seal spent its time, step by step (a step timed twice adds up), for the one
 * log line each seal writes: {@code Sealed version N in T ms (wait .., contents ..,
 * build .., publish .., ...)}. Not thread-safe: one seal, one thread.
 */
public final class SealTimings {

	private final long started = System.nanoTime();

	private final Map<String, Long> nanos = new LinkedHashMap<>();

	/** Runs the work and adds its time to the step. */
	public <T> T time(String step, Supplier<T> work) {
		long start = System.nanoTime();
		try {
			return work.get();
		}
		finally {
			add(step, System.nanoTime() - start);
		}
	}

	/** Runs the work and adds its time to the step. */
	public void time(String step, Runnable work) {
		long start = System.nanoTime();
		try {
			work.run();
		}
		finally {
			add(step, System.nanoTime() - start);
		}
	}

	public void add(String step, long nanos) {
		this.nanos.merge(step, nanos, Long::sum);
	}

	/** The milliseconds of each step so far, in the order the steps first ran. */
	public Map<String, Long> millis() {
		Map<String, Long> millis = new LinkedHashMap<>();
		this.nanos.forEach((step, value) -> millis.put(step, value / 1_000_000));
		return millis;
	}

	/** Milliseconds since the seal started. */
	public long totalMillis() {
		return (System.nanoTime() - this.started) / 1_000_000;
	}

	@Override
	public String toString() {
		StringJoiner steps = new StringJoiner(", ");
		millis().forEach((step, value) -> steps.add(step + " " + value + " ms"));
		return steps.toString();
	}

}
