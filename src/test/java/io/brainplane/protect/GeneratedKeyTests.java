package io.brainplane.protect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.brainplane.protect.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class GeneratedKeyTests {

	@Test
	void withNoKeyConfiguredAnOperatorKeyIsGeneratedOnceOwnerOnlyAndReused(CapturedOutput output) throws Exception {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("brain_generated_key");
		Path dataDir = Files.createTempDirectory("generated-key");
		Path file = dataDir.resolve("operator.key");
		String key;
		try (SecondReplica app = SecondReplica.startWithoutKeys(database, dataDir)) {
			assertThat(file).exists();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
			key = Files.readString(file).trim();
			assertThat(key).hasSizeGreaterThan(32);
			assertProblem(app.anonymousApi().get("/brain/versions"), 401, "unauthorized", "API key is required");
			assertThat(app.api(key).post("/brain/versions", java.util.Map.of("label", "with generated key")).status())
				.isEqualTo(201);
		}
		assertThat(output.getAll()).contains(file.toAbsolutePath().toString()).doesNotContain(key);
		try (SecondReplica again = SecondReplica.startWithoutKeys(database, dataDir)) {
			assertThat(Files.readString(file).trim()).isEqualTo(key);
			assertThat(again.api(key).get("/brain/versions").status()).isEqualTo(200);
		}
		assertThat(output.getAll()).doesNotContain(key);
	}

	@Test
	void environmentKeysReplaceTheGeneratedOne() throws Exception {
		Path dataDir = Files.createTempDirectory("env-keys");
		try (SecondReplica app = SecondReplica.startWithoutKeys(TestDatabase.createDatabase("brain_env_keys"), dataDir,
				"--BRAIN_OPERATOR_KEY=env-operator-key-123456", "--BRAIN_READER_KEY=env-reader-key-123456")) {
			assertThat(dataDir.resolve("operator.key")).doesNotExist();
			assertThat(app.api("env-operator-key-123456").post("/brain/rollback", null).status()).isEqualTo(409);
			assertProblem(app.api("env-reader-key-123456").post("/brain/rollback", null), 403, "forbidden", "reader");
			assertThat(app.api("env-reader-key-123456").get("/brain/versions").status()).isEqualTo(200);
		}
	}

}
