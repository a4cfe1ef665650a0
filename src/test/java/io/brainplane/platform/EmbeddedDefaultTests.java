package io.brainplane.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.brainplane.support.Api;
import io.brainplane.support.SecondReplica;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDefaultTests {

	@Test
	void withoutADatabaseUrlTheServiceStartsItsOwnPostgresAndKeepsVersionsAcrossRestarts() throws Exception {
		Path dataDir = Files.createTempDirectory("embedded-default");
		long version;
		try (SecondReplica first = SecondReplica.startEmbedded(dataDir)) {
			Api api = first.api();
			version = api.post("/brain/versions", Map.of("label", "kept")).json().get("version").asLong();
			api.put("/brain/versions/" + version + "/documents",
					Map.of("documents", List.of(Map.of("key", "a", "content", "Durable text."))));
			api.post("/brain/versions/" + version + "/seal", null);
			assertThat(api.post("/brain/versions/" + version + "/activate", null).status()).isEqualTo(200);
		}
		assertThat(dataDir.resolve("postgres/postgresql.conf")).exists();
		try (SecondReplica second = SecondReplica.startEmbedded(dataDir)) {
			Api api = second.api();
			assertThat(api.get("/brain/versions/" + version).json().get("label").asText()).isEqualTo("kept");
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(30))
				.until(() -> api.get("/brain/search?q=durable").status() == 200);
			assertThat(api.get("/brain/search?q=durable").json().get("results")).hasSize(1);
		}
	}

}
