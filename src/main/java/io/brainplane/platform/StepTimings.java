package io.brainplane.platform;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Where one piece of work spent its time, step by step (a step timed twice adds up), for
 * the one log line it writes: a seal's {@code Sealed version N in T ms (wait .., contents
 * .., build .., publish .., ...)}, a local build's {@code (base .., link .., add ..,
 * commit ..)}. Not thread-safe: one piece of work, one thread.
 */
public final class StepTimings {

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

	/**
	 * Runs work that may fail with an {@link IOException} and adds its time to the step.
	 */
	public <T> T io(String step, IoWork<T> work) throws IOException {
		long start = System.nanoTime();
		try {
			return work.get();
		}
		finally {
			add(step, System.nanoTime() - start);
		}
	}

	/**
	 * Runs work that may fail with an {@link IOException} and adds its time to the step.
	 */
	public void io(String step, IoAction work) throws IOException {
		io(step, () -> {
			work.run();
			return null;
		});
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

	/** Work returning a value that may fail with an {@link IOException}. */
	@FunctionalInterface
	public interface IoWork<T> {

		T get() throws IOException;

	}

	/** Work that may fail with an {@link IOException}. */
	@FunctionalInterface
	public interface IoAction {

		void run() throws IOException;

	}

}
