package io.brainplane.ops;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image and the Kubernetes ConfigMap set
 * {@code logging.structured.format.console=ecs}: every line is one JSON object and lines
 * logged while serving a request carry its id.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path dataDir;

	@Test
	void jsonLogLinesCarryTheRequestId(CapturedOutput output) throws Exception {
		// Logback is configured once per JVM: let the replica configure it anew
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.cleanUp();
		try (SecondReplica replica = SecondReplica.start(TestDatabase.createDatabase("ops_json_logs"), this.dataDir,
				"--logging.structured.format.console=ecs")) {
			// an undelivered pulse logs a warning inside the request
			assertThat(replica.api()
				.withHeaders(Map.of("X-Request-Id", "req-json-logs-1"))
				.post("/brain/pulses", null)
				.status()).isEqualTo(201);
		}
		finally {
			logging.cleanUp();
		}
		JsonNode line = null;
		for (String text : output.getOut().split("\n")) {
			if (text.contains("req-json-logs-1")) {
				line = JSON.readTree(text.substring(text.indexOf('{')));
			}
		}
		assertThat(line).as(output.getOut()).isNotNull();
		assertThat(line.get("requestId").asText()).isEqualTo("req-json-logs-1");
		assertThat(line.path("log").path("level").asText()).isEqualTo("WARN");
		assertThat(line.get("message").asText()).contains("pulse").contains("not delivered");
	}

}
