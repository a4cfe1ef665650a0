package io.brainplane.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server left running on the embedded data directory by a JVM that was
 * killed (kill -9, OOM killer): the embedded server is a child process and outlives it,
 * and its {@code postmaster.pid} then stops the next start ("lock file already exists").
 * Before starting, the embedded database asks this class to stop such an orphan: only
 * when the pid file names a live process that is a postgres on this very data directory
 * (its {@code /proc/<pid>/cmdline}, or the pid file's own data directory line, says so).
 * It is asked for a fast shutdown (SIGINT, which rolls back open transactions and
 * checkpoints), then an immediate one (SIGQUIT; crash recovery on the next start), then
 * killed.
 */
final class OrphanedPostmaster {

	private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);

	private OrphanedPostmaster() {
	}

	/**
	 * Stops a postgres still running on {@code dataDirectory} from an earlier life of
	 * this service.
	 * @return the pid it stopped, if it found one
	 */
	static Optional<Long> stopIfRunning(Path dataDirectory) {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		List<String> lines;
		try {
			lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		if (lines.isEmpty() || !lines.get(0).strip().matches("[0-9]{1,10}")) {
			return Optional.empty();
		}
		long pid = Long.parseLong(lines.get(0).strip());
		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		if (process.isEmpty() || pid == ProcessHandle.current().pid()
				|| !isPostgresOn(pid, dataDirectory, (lines.size() > 1) ? lines.get(1) : "")) {
			// PostgreSQL itself sees through a stale file of a dead process
			return Optional.empty();
		}
		log.warn(
				"A PostgreSQL server (pid {}) is still running on {}, left by an earlier run of this service "
						+ "that did not stop cleanly; stopping it before starting the embedded database",
				pid, dataDirectory);
		ProcessHandle postmaster = process.get();
		if (!signalAndWait(postmaster, "INT", Duration.ofSeconds(30))
				&& !signalAndWait(postmaster, "QUIT", Duration.ofSeconds(10))) {
			postmaster.destroyForcibly();
			await(postmaster, Duration.ofSeconds(10));
		}
		if (postmaster.isAlive()) {
			throw new IllegalStateException("PostgreSQL (pid " + pid + ") on " + dataDirectory
					+ " does not stop; stop it by hand (pg_ctl stop -D " + dataDirectory + ")");
		}
		log.info("Stopped the orphaned PostgreSQL server (pid {})", pid);
		return Optional.of(pid);
	}

	/** Whether the process is a postgres whose data directory is this one. */
	static boolean isPostgresOn(long pid, Path dataDirectory, String pidFileDirectoryLine) {
		Path expected = dataDirectory.toAbsolutePath().normalize();
		Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
		if (Files.isReadable(cmdline)) {
			try {
				List<String> args = List
					.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\u0000"));
				if (args.isEmpty() || !Path.of(args.get(0)).getFileName().toString().startsWith("postgres")) {
					return false;
				}
				int d = args.indexOf("-D");
				if (d >= 0 && d + 1 < args.size()) {
					return samePath(Path.of(args.get(d + 1)), expected);
				}
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		}
		else {
			String command = ProcessHandle.of(pid).flatMap((p) -> p.info().command()).orElse("");
			if (!command.isEmpty() && !Path.of(command).getFileName().toString().startsWith("postgres")) {
				return false;
			}
		}
		return !pidFileDirectoryLine.isBlank() && samePath(Path.of(pidFileDirectoryLine.strip()), expected);
	}

	private static boolean samePath(Path a, Path b) {
		try {
			return a.toRealPath().equals(b.toRealPath());
		}
		catch (IOException ex) {
			return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
		}
	}

	private static boolean signalAndWait(ProcessHandle process, String signal, Duration wait) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
				.redirectErrorStream(true)
				.start();
			kill.waitFor(5, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// no kill command: SIGTERM (a smart shutdown; the dead JVM's sessions are
			// gone)
			process.destroy();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		return await(process, wait);
	}

	private static boolean await(ProcessHandle process, Duration wait) {
		try {
			process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return !process.isAlive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
