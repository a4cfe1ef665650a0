package io.brainplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

/**
 * A Java process started from the test classpath, for tests that kill it with SIGKILL
 * (kill -9) or stop it with SIGTERM and look at what it left behind. Its output goes to a
 * file; closing it kills it if it still runs.
 */
public final class ChildJvm implements AutoCloseable {

	private final Process process;

	private final Path output;

	private ChildJvm(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	/**
	 * Starts {@code mainClass} with the given system properties ({@code name=value}) and
	 * arguments. An application started so embeds with the tests' model
	 * ({@link TestModel}, a system property an argument can override), as the test
	 * context and the replicas that take over its work do: a version keeps the model it
	 * was created with, and a replica with another model fails its jobs.
	 */
	public static ChildJvm start(Class<?> mainClass, List<String> systemProperties, List<String> args) {
		try {
			Path output = Files.createTempFile("child-jvm-", ".log");
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.add("-Xmx512m");
			command.add("-XX:TieredStopAtLevel=1");
			command.add("-Xshare:auto");
			command.add("-D" + TestModel.PROPERTY);
			systemProperties.forEach((property) -> command.add("-D" + property));
			command.add("-cp");
			command.add(System.getProperty("java.class.path"));
			command.add(mainClass.getName());
			command.addAll(args);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			return new ChildJvm(process, output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Waits for a line of output matching the pattern; its first group, or the line. */
	public String awaitOutput(String regex, Duration atMost) {
		Pattern pattern = Pattern.compile(regex);
		String[] found = new String[1];
		Awaitility.await().atMost(atMost).until(() -> {
			// whether it exited is asked first: what it wrote before is all there is
			boolean exited = !this.process.isAlive();
			for (String line : Files.readAllLines(this.output)) {
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					found[0] = (matcher.groupCount() > 0) ? matcher.group(1) : line;
					return true;
				}
			}
			if (exited) {
				throw new IllegalStateException("child JVM exited (" + this.process.exitValue() + "):\n" + tail());
			}
			return false;
		});
		return found[0];
	}

	/** SIGKILL, as {@code kill -9}: no shutdown hook, no clean-up. Waits for the exit. */
	public void kill() {
		this.process.destroyForcibly();
		awaitExit(Duration.ofSeconds(30));
	}

	/** SIGTERM, as {@code kill} or Kubernetes: shutdown hooks run. Waits for the exit. */
	public void terminate() {
		this.process.destroy();
		awaitExit(Duration.ofSeconds(60));
	}

	private void awaitExit(Duration atMost) {
		try {
			this.process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The last lines of the output, for failure messages. */
	public String tail() {
		try {
			List<String> lines = Files.readAllLines(this.output);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
