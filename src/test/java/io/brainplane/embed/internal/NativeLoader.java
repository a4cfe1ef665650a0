package io.brainplane.embed.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import ai.onnxruntime.OrtEnvironment;

/**
 * A child JVM for {@link OnnxRuntimeNativesTests}: installs the libraries under the
 * directory given (as the embedding configuration does), starts ONNX Runtime, prints the
 * file its library was mapped from, and idles until it is killed.
 */
public final class NativeLoader {

	private NativeLoader() {
	}

	public static void main(String[] args) throws Exception {
		OnnxRuntimeNatives.install(Path.of(args[0]));
		OrtEnvironment.getEnvironment();
		try (var maps = Files.lines(Path.of("/proc/self/maps"))) {
			maps.filter((line) -> line.endsWith("/" + System.mapLibraryName("onnxruntime")))
				.map((line) -> line.substring(line.indexOf('/')))
				.findFirst()
				.ifPresent((file) -> System.out.println("MAPPED " + file));
		}
		System.out.println("READY");
		Thread.sleep(Long.MAX_VALUE);
	}

}
