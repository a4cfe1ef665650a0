package io.brainplane.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.brainplane.support.Api;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped defaults, as {@code ./mvnw spring-boot:run} runs them: no database URL, no
 * embedding settings. The one test of the suite on the shipped embedding model with
 * nothing configured (the others embed with {@link TestModel}'s faster one): it proves
 * the default is bge-small-en-v1.5 and that it embeds and searches end to end.
 */
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
			Api.Response sealed = api.post("/brain/versions/" + version + "/seal", null);
			assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
			assertThat(sealed.json().get("embeddingModel").asText()).as("the shipped default model")
				.isEqualTo("local:" + TestModel.SHIPPED)
				.isEqualTo("local:bge-small-en-v1.5-q");
			assertThat(sealed.json().at("/progress/embedded").asLong()).isEqualTo(1);
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
			// by meaning, with the shipped model's query embedding: no word in common
			Api.Response semantic = api.get("/brain/search?mode=semantic&q=long-lasting+writing");
			assertThat(semantic.status()).as(semantic.toString()).isEqualTo(200);
			assertThat(semantic.json().get("mode").asText()).isEqualTo("semantic");
			assertThat(semantic.json().at("/results/0/documentKey").asText()).isEqualTo("a");
		}
	}

}
