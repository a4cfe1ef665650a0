package io.brainplane.embed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.brainplane.support.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ONNX Runtime's native libraries are unpacked once into the replica's data directory,
 * not into a new temporary directory per start that a killed process leaves behind.
 */
class OnnxRuntimeNativesTests {

	private static final String LIBRARY = System.mapLibraryName("onnxruntime");

	private static final String JNI = System.mapLibraryName("onnxruntime4j_jni");

	@Test
	@EnabledOnOs(OS.LINUX) // reads /proc/self/maps; the CI machine is Linux
	void aKilledProcessLeavesNoLibraryInTheTemporaryDirectory(@TempDir Path cache, @TempDir Path tmp)
			throws IOException {
		try (ChildJvm child = ChildJvm.start(NativeLoader.class, List.of("java.io.tmpdir=" + tmp),
				List.of(cache.toString()))) {
			String mapped = child.awaitOutput("MAPPED (.*)", Duration.ofMinutes(1));
			child.awaitOutput("READY", Duration.ofSeconds(10));
			assertThat(Path.of(mapped)).startsWith(cache);
			child.kill();
		}
		// before: tmp/onnxruntime-java*/libonnxruntime.so (16 MB) stayed after every kill
		try (Stream<Path> left = Files.walk(tmp)) {
			assertThat(left.filter(Files::isRegularFile)).isEmpty();
		}
	}

	@Test
	void theLibrariesAreUnpackedOnceAndAHalfWrittenOneIsReplaced(@TempDir Path cache) throws IOException {
		Path directory = OnnxRuntimeNatives.unpack(cache).orElseThrow();
		Path library = directory.resolve(LIBRARY);
		assertUnpacked(library, "onnxruntime");
		assertUnpacked(directory.resolve(JNI), "onnxruntime4j_jni");

		FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
		Files.setLastModifiedTime(library, written);
		OnnxRuntimeNatives.unpack(cache);
		assertThat(Files.getLastModifiedTime(library)).as("not copied again").isEqualTo(written);

		// a process killed while copying: its part is removed once stale, and a library
		// cut short (by a disk full, say) is written again
		Path part = Files.writeString(directory.resolve(LIBRARY + "123.part"), "half");
		Files.setLastModifiedTime(part, written);
		Files.write(library, new byte[] { 1, 2, 3 });
		OnnxRuntimeNatives.unpack(cache);
		assertThat(part).doesNotExist();
		assertUnpacked(library, "onnxruntime");
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder(LIBRARY, JNI);
		}
	}

	@Test
	void aPathSetByTheOperatorIsLeftAlone(@TempDir Path cache) {
		String before = System.getProperty(OnnxRuntimeNatives.PATH_PROPERTY);
		System.setProperty(OnnxRuntimeNatives.PATH_PROPERTY, "/opt/onnxruntime");
		try {
			assertThat(OnnxRuntimeNatives.install(cache)).isEmpty();
			assertThat(System.getProperty(OnnxRuntimeNatives.PATH_PROPERTY)).isEqualTo("/opt/onnxruntime");
			assertThat(cache).isEmptyDirectory();
		}
		finally {
			if (before == null) {
				System.clearProperty(OnnxRuntimeNatives.PATH_PROPERTY);
			}
			else {
				System.setProperty(OnnxRuntimeNatives.PATH_PROPERTY, before);
			}
		}
	}

	private static void assertUnpacked(Path file, String library) throws IOException {
		try (InputStream jar = OnnxRuntimeNatives.resource(library).openStream()) {
			assertThat(Files.readAllBytes(file)).isEqualTo(jar.readAllBytes());
		}
	}

}
