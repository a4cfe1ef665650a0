package io.brainplane.search;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.brainplane.support.Api;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicas sharing a filesystem segment store: the sealing replica builds and publishes a
 * version, another fetches only the files it lacks and serves it without building, and a
 * replica that finds a corrupt file in the store builds the version itself.
 */
class SegmentStoreTests {

	@Test
	void versionsAreBuiltOnceAndFetchedByOtherReplicas() throws IOException {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("brain_segment_store");
		Path store = Files.createTempDirectory("segment-store");
		String[] options = { "--brain.index.segment-store=filesystem", "--brain.index.segment-store-path=" + store,
				"--brain.embedding.provider=none" };
		Path secondDir = Files.createTempDirectory("second");
		long base;
		long version;
		try (SecondReplica first = SecondReplica.start(database, Files.createTempDirectory("first"), options);
				SecondReplica second = SecondReplica.start(database, secondDir, options)) {
			List<Map<String, Object>> documents = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				documents.add(Map.of("key", "doc-" + i, "title", "Fish " + i, "content",
						("Trout number " + i + " swims upstream in the cold river, past stones, reeds and the old mill "
								+ i + ". ")
							.repeat(5)));
			}
			base = sealed(first.api(), "none", Map.of("documents", documents));
			assertThat(store.resolve("versions"))
				.isDirectoryContaining((path) -> path.getFileName().toString().startsWith("v" + base + "-")
						&& Files.exists(path.resolve("manifest.json")));
			// The other replica opens the sealed version from the store, not by building
			// it.
			awaitLocal(secondDir, base);
			MeterRegistry meters = second.bean(MeterRegistry.class);
			assertThat(meters.get("brain.index.build").tag("kind", "full").timer().count()).isZero();
			double firstDownload = downloaded(meters);
			assertThat(firstDownload).isPositive();

			version = sealed(first.api(), Long.toString(base), Map.of("documents", List
				.of(Map.of("key", "doc-3", "title", "Changed", "content", "Salmon leap up the weir in autumn."))));
			awaitLocal(secondDir, version);
			// Only the new segment and the commit point came over; the rest was linked.
			assertThat(downloaded(meters) - firstDownload).isLessThan(firstDownload / 2);
			assertThat(meters.get("brain.index.segment.store.bytes").tag("direction", "linked").counter().count())
				.isPositive();
			assertThat(meters.get("brain.index.build").tag("kind", "full").timer().count()).isZero();
			assertThat(meters.get("brain.index.build").tag("kind", "incremental").timer().count()).isZero();

			assertThat(first.api().post("/brain/versions/" + version + "/activate", Map.of()).status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> Long.toString(version)
					.equals(second.api().get("/brain/search?q=salmon+weir").header("X-Brain-Version")));
			assertThat(second.api().get("/brain/search?q=salmon+weir").json().at("/results/0/documentKey").asText())
				.isEqualTo("doc-3");
		}

		// A corrupt file in the store: a fresh replica notices and builds the version
		// itself.
		Path largest;
		try (Stream<Path> files = Files.walk(store.resolve("segments"))) {
			largest = files.filter(Files::isRegularFile).max(Comparator.comparingLong(SegmentStoreTests::size)).get();
		}
		try (RandomAccessFile file = new RandomAccessFile(largest.toFile(), "rw")) {
			file.seek(file.length() / 2);
			int b = file.read();
			file.seek(file.length() / 2);
			file.write(b ^ 0xFF);
		}
		try (SecondReplica fresh = SecondReplica.start(database, Files.createTempDirectory("fresh"), options)) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> fresh.management().get("/actuator/health/readiness").status() == 200);
			Api.Response search = fresh.api().get("/brain/search?q=salmon+weir");
			assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(version));
			assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo("doc-3");
			assertThat(fresh.bean(MeterRegistry.class).get("brain.index.build").tag("kind", "full").timer().count())
				.isPositive();
		}
	}

	private static long sealed(Api api, String base, Map<String, Object> documents) {
		Api.Response created = api.post("/brain/versions", Map.of("label", "store", "base", base));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		long version = created.json().get("version").asLong();
		assertThat(api.put("/brain/versions/" + version + "/documents", documents).status()).isEqualTo(200);
		Api.Response seal = api.post("/brain/versions/" + version + "/seal", null);
		assertThat(seal.status()).as(seal.toString()).isEqualTo(200);
		return version;
	}

	private static void awaitLocal(Path dataDir, long version) {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			try (Stream<Path> dirs = Files.list(dataDir.resolve("index"))) {
				return dirs.anyMatch((dir) -> dir.getFileName().toString().startsWith("v" + version + "-"));
			}
		});
	}

	private static double downloaded(MeterRegistry meters) {
		return meters.get("brain.index.segment.store.bytes").tag("direction", "downloaded").counter().count();
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
