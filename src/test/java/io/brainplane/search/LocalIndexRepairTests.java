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
 * A replica restarting on a local index damaged on disk (a flipped byte, a missing file)
 * never serves it: it finds the damage by the files' checksums and fetches the version
 * from the segment store again, or builds it when the store cannot give it.
 */
class LocalIndexRepairTests {

	@Test
	void aCorruptOrMissingLocalFileIsFetchedAgainOrRebuilt() throws IOException {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("brain_local_repair");
		Path store = Files.createTempDirectory("repair-store");
		String[] withStore = { "--brain.index.segment-store=filesystem", "--brain.index.segment-store-path=" + store,
				"--brain.embedding.provider=none" };
		Path dataDir = Files.createTempDirectory("repair");
		long version;
		try (SecondReplica replica = SecondReplica.start(database, dataDir, withStore)) {
			List<Map<String, Object>> documents = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				documents.add(Map.of("key", "doc-" + i, "title", "Tree " + i, "content",
						("Oak number " + i + " grows slowly on the chalk hill above the village " + i + ". ")
							.repeat(5)));
			}
			Api api = replica.api();
			Api.Response created = api.post("/brain/versions", Map.of("label", "repair", "base", "none"));
			version = created.json().get("version").asLong();
			assertThat(api.put("/brain/versions/" + version + "/documents", Map.of("documents", documents)).status())
				.isEqualTo(200);
			assertThat(api.post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
			assertThat(api.post("/brain/versions/" + version + "/activate", Map.of()).status()).isEqualTo(200);
		}

		// A flipped byte in the middle of the largest file: caught by its checksum,
		// fetched again from the store, not rebuilt.
		flipAByte(largest(local(dataDir, version)));
		try (SecondReplica replica = SecondReplica.start(database, dataDir, withStore)) {
			assertServes(replica, version);
			MeterRegistry meters = replica.bean(MeterRegistry.class);
			assertThat(meters.get("brain.index.repairs").counter().count()).isOne();
			assertThat(meters.get("brain.index.segment.store.bytes").tag("direction", "downloaded").counter().count())
				.isPositive();
			assertThat(meters.get("brain.index.build").tag("kind", "full").timer().count()).isZero();
		}

		// A missing file and no segment store: built again locally.
		Files.delete(largest(local(dataDir, version)));
		try (SecondReplica replica = SecondReplica.start(database, dataDir, "--brain.embedding.provider=none")) {
			assertServes(replica, version);
			MeterRegistry meters = replica.bean(MeterRegistry.class);
			assertThat(meters.get("brain.index.repairs").counter().count()).isOne();
			assertThat(meters.get("brain.index.build").tag("kind", "full").timer().count()).isOne();
		}
	}

	private static void assertServes(SecondReplica replica, long version) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> replica.management().get("/actuator/health/readiness").status() == 200);
		Api.Response search = replica.api().get("/brain/search?q=oak+number+17+chalk");
		assertThat(search.status()).isEqualTo(200);
		assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(version));
		assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo("doc-17");
	}

	private static Path local(Path dataDir, long version) throws IOException {
		try (Stream<Path> dirs = Files.list(dataDir.resolve("index"))) {
			return dirs.filter((dir) -> dir.getFileName().toString().startsWith("v" + version + "-"))
				.findFirst()
				.orElseThrow();
		}
	}

	private static Path largest(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((file) -> !file.getFileName().toString().equals("write.lock"))
				.max(Comparator.comparingLong(LocalIndexRepairTests::size))
				.orElseThrow();
		}
	}

	private static void flipAByte(Path file) throws IOException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.seek(raf.length() / 2);
			int b = raf.read();
			raf.seek(raf.length() / 2);
			raf.write(b ^ 0xFF);
		}
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
