package io.brainplane.protect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;
import io.brainplane.protect.internal.ApiKeys;
import io.brainplane.protect.internal.ApiKeyLoader;
import io.brainplane.protect.internal.SecurityProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The generated operator key file survives a crash at any point: it is written to a
 * temporary file and moved into place, and the empty file an older start could leave
 * behind no longer stops start-up.
 */
class KeyFileTests {

	@TempDir
	Path dataDir;

	@Test
	void anEmptyKeyFileLeftByAnInterruptedStartIsReplacedByANewKey() throws Exception {
		Path file = this.dataDir.resolve(ApiKeyLoader.KEY_FILE);
		Files.createFile(file);
		Files.writeString(this.dataDir.resolve("operator.key.12345.tmp"), "half-written");
		ApiKeys keys = loader().load();
		String key = Files.readString(file).trim();
		assertThat(key).startsWith("bp_").hasSizeGreaterThan(32);
		assertThat(keys.find(key)).isPresent();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		try (var files = Files.list(this.dataDir)) {
			assertThat(files.map((p) -> p.getFileName().toString()).toList())
				.as("no temporary file is left beside the key")
				.containsExactly(ApiKeyLoader.KEY_FILE);
		}
		loader().load();
		assertThat(Files.readString(file).trim()).as("a complete key is kept").isEqualTo(key);
	}

	@Test
	void aTruncatedKeyIsAClearStartUpErrorNamingTheFile() throws Exception {
		Path file = this.dataDir.resolve(ApiKeyLoader.KEY_FILE);
		Files.writeString(file, "bp_abc");
		assertThatIllegalStateException().isThrownBy(() -> loader().load())
			.withMessageContaining(file.toString())
			.withMessageContaining("delete it");
	}

	private ApiKeyLoader loader() {
		return new ApiKeyLoader(new SecurityProperties(List.of(), null, 32), new MockEnvironment(), this.dataDir);
	}

}
