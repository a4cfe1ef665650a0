package io.brainplane.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brainplane.support.Api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Test helper: drives one Brainplane over HTTP (versions, backups) and tampers with
 * backup files the way disks and people do.
 */
final class Brain {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Api api;

	Brain(Api api) {
		this.api = api;
	}

	Api api() {
		return this.api;
	}

	long sealed(String base, List<Map<String, Object>> documents) {
		Api.Response created = this.api.post("/brain/versions", Map.of("label", unique("v"), "base", base));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		long version = created.json().get("version").asLong();
		Api.Response put = this.api.put("/brain/versions/" + version + "/documents", Map.of("documents", documents));
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		Api.Response seal = this.api.post("/brain/versions/" + version + "/seal", null);
		assertThat(seal.status()).as(seal.toString()).isEqualTo(200);
		return version;
	}

	void activate(long version) {
		Api.Response response = this.api.post("/brain/versions/" + version + "/activate", Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	/** Takes a backup and waits for it to succeed. */
	String backup() {
		// The previous run may still be releasing its lock for a moment.
		Api.Response started = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.api.post("/brain/backups", null), (response) -> response.status() != 409);
		assertThat(started.status()).as(started.toString()).isEqualTo(202);
		assertThat(started.json().get("state").asText()).isEqualTo("RUNNING");
		String id = started.json().get("id").asText();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> !"RUNNING".equals(this.api.get("/brain/backups/" + id).json().get("state").asText()));
		Api.Response backup = this.api.get("/brain/backups/" + id);
		assertThat(backup.json().get("state").asText()).as(backup.toString()).isEqualTo("SUCCEEDED");
		return id;
	}

	/**
	 * What a client can see: versions, activations, the active version, search results.
	 */
	Map<String, JsonNode> visibleState(String query) {
		return Map.of("versions", this.api.get("/brain/versions?limit=100").json(), "activations",
				this.api.get("/brain/activations?limit=100").json(), "active",
				this.api.get("/brain/health").json().get("version"), "search",
				this.api.get("/brain/search?q=" + query + "&k=20").json().path("results"));
	}

	static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	static Map<String, Object> doc(String key, String content) {
		return Map.of("key", key, "title", key, "content", content);
	}

	static ObjectNode manifest(Path dir) throws IOException {
		return (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
	}

	/**
	 * Appends rows to a table file and fixes the manifest to match, so the backup still
	 * verifies but the database refuses the rows.
	 */
	static void appendRowsAndFixManifest(Path dir, String table, String rows) throws Exception {
		ObjectNode manifest = manifest(dir);
		for (JsonNode node : manifest.get("files")) {
			ObjectNode file = (ObjectNode) node;
			if (!file.get("table").asText().equals(table)) {
				continue;
			}
			Path path = dir.resolve(file.get("file").asText());
			byte[] content;
			try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
				content = in.readAllBytes();
			}
			ByteArrayOutputStream compressed = new ByteArrayOutputStream();
			try (OutputStream out = new GZIPOutputStream(compressed)) {
				out.write(content);
				out.write(rows.getBytes());
			}
			Files.write(path, compressed.toByteArray());
			file.put("sizeBytes", compressed.size());
			file.put("sha256",
					HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(compressed.toByteArray())));
			file.put("rows", file.get("rows").asLong() + rows.chars().filter((c) -> c == '\n').count());
		}
		JSON.writeValue(dir.resolve("manifest.json").toFile(), manifest);
	}

}
