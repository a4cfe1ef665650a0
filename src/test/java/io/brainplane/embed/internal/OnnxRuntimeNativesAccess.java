package io.brainplane.embed.internal;

import java.nio.file.Path;

/**
 * For models the tests create outside an application context
 * ({@code support/SharedModels}): ONNX Runtime's native libraries unpacked under the data
 * directory's cache, as {@link EmbeddingConfiguration} does.
 */
public final class OnnxRuntimeNativesAccess {

	private OnnxRuntimeNativesAccess() {
	}

	public static void install(Path cache) {
		OnnxRuntimeNatives.install(cache);
	}

}
