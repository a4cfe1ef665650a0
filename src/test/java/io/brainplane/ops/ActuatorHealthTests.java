package io.brainplane.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

class ActuatorHealthTests extends IntegrationTest {

	@Value("${local.management.port}")
	private int managementPort;

	@Test
	void actuatorHealthShowsDatabaseIndexCircuitBreakersAndBackupFreshness() {
		Api management = new Api("http://localhost:" + this.managementPort);
		JsonNode components = management.get("/actuator/health").json().get("components");
		assertThat(components.fieldNames()).toIterable().contains("db", "replica", "circuitBreakers", "backup");
		assertThat(components.get("backup").get("status").asText()).isEqualTo("UP");
		assertThat(components.get("backup").get("details").has("ok")).isTrue();
		assertThat(components.get("backup").get("details").has("lastSuccessAt")).isTrue();
		// Liveness never depends on the database or backups.
		JsonNode liveness = management.get("/actuator/health/liveness").json();
		assertThat(liveness.has("components") ? liveness.get("components").fieldNames()
				: java.util.Collections.emptyIterator())
			.toIterable()
			.doesNotContain("db", "backup");
	}

}
