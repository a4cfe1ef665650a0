package io.brainplane.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Named points where the fault tests stop the process to kill it there. Inert unless the
 * JVM was started with the system property {@code brain.test.pause-at} (a comma-separated
 * list of point names) and {@code brain.test.pause-dir}: reaching a listed point then
 * writes {@code <pause-dir>/<point>.reached} and blocks until
 * {@code <pause-dir>/<point>.go} appears (or forever, the test kills the process).
 * Production never sets the property: each call is one read of a final field.
 */
public final class FaultPoint {

	private static final Set<String> POINTS = points();

	private static final Path DIRECTORY = directory();

	private FaultPoint() {
	}

	/**
	 * Blocks here when the fault tests asked for this point; returns at once otherwise.
	 */
	public static void reach(String point) {
		if (POINTS.isEmpty() || !POINTS.contains(point)) {
			return;
		}
		try {
			Files.createDirectories(DIRECTORY);
			Files.writeString(DIRECTORY.resolve(point + ".reached"), Long.toString(ProcessHandle.current().pid()));
			Path go = DIRECTORY.resolve(point + ".go");
			while (!Files.exists(go)) {
				Thread.sleep(20);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("fault point " + point + " failed", ex);
		}
	}

	private static Set<String> points() {
		String property = System.getProperty("brain.test.pause-at");
		if (property == null || property.isBlank()) {
			return Set.of();
		}
		return Set.of(property.split("\\s*,\\s*"));
	}

	private static Path directory() {
		String property = System.getProperty("brain.test.pause-dir");
		return (property != null) ? Path.of(property) : Path.of("target", "fault-points");
	}

}
