package io.brainplane.embed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import ai.onnxruntime.OrtEnvironment;

/**
 * Unpacks ONNX Runtime's native libraries once into a directory of this replica's data
 * and points ONNX Runtime at it ({@code onnxruntime.native.path}), before its first use.
 * <p>
 * Left to itself, ONNX Runtime copies its libraries (16 MB on linux-x64) into a new
 * {@code java.io.tmpdir/onnxruntime-java*} directory on every start and only marks them
 * for deletion at a normal exit: a killed process (SIGKILL, an OOM kill, a Kubernetes
 * grace period run out) leaves them behind, and in a pod whose {@code /tmp} is an
 * {@code emptyDir} (deploy/k8s) every container restart adds another copy until the
 * volume's size limit evicts the pod.
 * <p>
 * The directory is named by the ONNX Runtime version and platform, so a new version gets
 * new files. Each file is written under a temporary name and moved into place, so a
 * process killed while unpacking leaves no half-written library to be loaded by the next
 * start. An {@code onnxruntime.native.path} set by the operator is left alone, and so is
 * a platform whose libraries the jar does not carry: ONNX Runtime then does as it always
 * did.
 */
final class OnnxRuntimeNatives {

	static final String PATH_PROPERTY = "onnxruntime.native.path";

	private static final String RESOURCES = "/ai/onnxruntime/native/";

	private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");

	private static final String PART = ".part";

	private static final Duration STALE_PART = Duration.ofMinutes(10);

	private OnnxRuntimeNatives() {
	}

	/**
	 * Unpacks the libraries under {@code cache} (if not already there) and sets
	 * {@value #PATH_PROPERTY} to their directory.
	 * @return the directory, or empty when left to ONNX Runtime
	 */
	static synchronized Optional<Path> install(Path cache) {
		if (System.getProperty(PATH_PROPERTY) != null) {
			return Optional.empty();
		}
		Optional<Path> unpacked = unpack(cache);
		unpacked.ifPresent((directory) -> System.setProperty(PATH_PROPERTY, directory.toString()));
		return unpacked;
	}

	/** Unpacks the libraries under {@code cache}; empty if the jar has none for here. */
	static Optional<Path> unpack(Path cache) {
		String version = OrtEnvironment.class.getPackage().getImplementationVersion();
		Optional<String> platform = platform();
		if (version == null || platform.isEmpty() || LIBRARIES.stream().anyMatch((name) -> resource(name) == null)) {
			return Optional.empty();
		}
		Path directory = cache.resolve("onnxruntime-" + version + "-" + platform.get());
		try {
			Files.createDirectories(directory);
			removeParts(directory);
			for (String library : LIBRARIES) {
				copyIfChanged(resource(library), directory.resolve(System.mapLibraryName(library)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot unpack ONNX Runtime's native libraries into " + directory, ex);
		}
		return Optional.of(directory);
	}

	/** The jar's copy of a library for this platform, or null. */
	static URL resource(String library) {
		return platform()
			.map((platform) -> OrtEnvironment.class
				.getResource(RESOURCES + platform + "/" + System.mapLibraryName(library)))
			.orElse(null);
	}

	private static void copyIfChanged(URL resource, Path target) throws IOException {
		URLConnection connection = resource.openConnection();
		long size = connection.getContentLengthLong();
		if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
			return;
		}
		Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), PART);
		try (InputStream in = connection.getInputStream()) {
			Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
			// a library already mapped by another process keeps its old file; the move
			// swaps only the name
			Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(part);
		}
	}

	/**
	 * Leftovers of a process killed while it unpacked; a part younger than
	 * {@link #STALE_PART} may be another process's copy under way.
	 */
	private static void removeParts(Path directory) throws IOException {
		Instant stale = Instant.now().minus(STALE_PART);
		try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, "*" + PART)) {
			for (Path part : parts) {
				if (Files.getLastModifiedTime(part).toInstant().isBefore(stale)) {
					Files.deleteIfExists(part);
				}
			}
		}
	}

	/** ONNX Runtime's name for this platform's resource folder. */
	private static Optional<String> platform() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		String osName = os.contains("linux") ? "linux"
				: (os.contains("mac") || os.contains("darwin")) ? "osx" : os.contains("win") ? "win" : null;
		String archName = (arch.equals("amd64") || arch.equals("x86_64")) ? "x64"
				: (arch.equals("aarch64") || arch.equals("arm64")) ? "aarch64" : null;
		return (osName == null || archName == null) ? Optional.empty() : Optional.of(osName + "-" + archName);
	}

}
