package io.brainplane.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.platform.PlatformProperties;
import io.brainplane.search.internal.IndexBuilder;
import io.brainplane.search.internal.IndexFields;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /brain/versions/{v}/rebuild}: an operator replaces an incrementally built
 * local index (sharing its base's segments, carrying deleted chunks) with a full build,
 * while the version keeps answering.
 */
class RebuildTests extends IntegrationTest {

	@Autowired
	private PlatformProperties platform;

	@Test
	void rebuildReplacesAnIncrementalIndexWithAFullOneAndKeepsServing() throws IOException {
		String prefix = unique("rb");
		List<Map<String, Object>> documents = numberedDocs(prefix, 40, "Bird %d",
				"Wren number %d sings in the hedge at dawn.");
		long base = sealedVersion("none", documents);
		long version = sealedVersion(Long.toString(base),
				List.of(doc(prefix + "-3", "Changed", "Kingfishers dive for minnows in the brook.")));
		activate(version);
		Path before = directory(version);
		assertThat(userData(before)).containsKey(IndexBuilder.BASE_KEY);
		assertThat(deletedChunks(before)).isPositive();
		Set<Object> baseFiles = inodes(directory(base));
		assertThat(inodes(before)).containsAnyElementsOf(baseFiles);

		Api.Response rebuilt = api().post("/brain/versions/" + version + "/rebuild", null);

		assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(200);
		JsonNode body = rebuilt.json();
		assertThat(body.get("version").asLong()).isEqualTo(version);
		assertThat(body.get("kind").asText()).isEqualTo("full");
		assertThat(body.get("chunks").asInt()).isEqualTo(40);
		assertThat(body.get("segments").asInt()).isOne();
		Path after = directory(version);
		assertThat(userData(after)).doesNotContainKey(IndexBuilder.BASE_KEY);
		assertThat(deletedChunks(after)).isZero();
		assertThat(inodes(after)).doesNotContainAnyElementsOf(baseFiles);
		try (Stream<Path> leftovers = Files.list(this.platform.indexDir())) {
			assertThat(leftovers.map((p) -> p.getFileName().toString())).noneMatch((name) -> name.startsWith(".tmp-"));
		}
		Api.Response search = api().get("/brain/search?mode=lexical&q=kingfishers+minnows");
		assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(version));
		assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo(prefix + "-3");
		// the base's index is untouched
		assertThat(deletedChunks(directory(base))).isZero();
	}

	@Test
	void everyReplicaReplacesItsCopyOfARebuiltVersion() throws IOException {
		String prefix = unique("rr");
		List<Map<String, Object>> documents = numberedDocs(prefix, 20, "Tree %d",
				"Alder number %d grows by the river bank.");
		long base = sealedVersion("none", documents);
		long version = sealedVersion(Long.toString(base),
				List.of(doc(prefix + "-5", "Changed", "Herons wade between the reeds of the millpond.")));
		activate(version);
		try (SecondReplica other = SecondReplica.start(TestDatabase.get(), Files.createTempDirectory("rebuild"))) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> other.management().get("/actuator/health/readiness").status() == 200);
			Path otherRoot = other.bean(PlatformProperties.class).indexDir();
			assertThat(other.api().get("/brain/search?mode=lexical&q=herons+reeds").header("X-Brain-Version"))
				.isEqualTo(Long.toString(version));
			Set<Object> before = inodes(directory(otherRoot, version));

			Api.Response rebuilt = api().post("/brain/versions/" + version + "/rebuild", null);
			assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(200);
			assertThat(rebuilt.json().get("generation").asLong()).isPositive();
			Set<Object> rebuiltHere = inodes(directory(version));

			// the other replica hears of it and swaps in a full build of its own
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.until(() -> java.util.Collections.disjoint(inodes(directory(otherRoot, version)), before));
			Path replaced = directory(otherRoot, version);
			assertThat(userData(replaced)).doesNotContainKey(IndexBuilder.BASE_KEY);
			assertThat(deletedChunks(replaced)).isZero();
			Api.Response search = other.api().get("/brain/search?mode=lexical&q=herons+reeds");
			assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(version));
			assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo(prefix + "-5");
			// this replica heard of its own rebuild too, and did not do it twice
			assertThat(inodes(directory(version))).isEqualTo(rebuiltHere);
		}
	}

	@Test
	void aReplicaDownDuringARebuildReplacesItsStaleCopyWhenItStarts() throws IOException {
		String prefix = unique("rs");
		List<Map<String, Object>> documents = numberedDocs(prefix, 20, "River %d",
				"Stream number %d runs under the old bridge.");
		long base = sealedVersion("none", documents);
		long version = sealedVersion(Long.toString(base),
				List.of(doc(prefix + "-4", "Changed", "Otters slide down the muddy bank into the pool.")));
		activate(version);
		Path dataDir = Files.createTempDirectory("rebuild-restart");
		Set<String> before;
		Path otherRoot;
		// no segment store: each replica builds its own copy
		try (SecondReplica other = SecondReplica.start(TestDatabase.get(), dataDir)) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> other.management().get("/actuator/health/readiness").status() == 200);
			otherRoot = other.bean(PlatformProperties.class).indexDir();
			// segment ids, not inodes: the old copy's files are deleted before the new
			// ones are written, so their inode numbers may come back
			before = segmentIds(directory(otherRoot, version));
		}

		// rebuilt while the other replica is down
		Api.Response rebuilt = api().post("/brain/versions/" + version + "/rebuild", null);
		assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(200);
		long generation = rebuilt.json().get("generation").asLong();
		assertThat(Files.readString(directory(version).resolve(IndexFields.REBUILD_FILE)))
			.isEqualTo(Long.toString(generation));

		try (SecondReplica other = SecondReplica.start(TestDatabase.get(), dataDir)) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> other.management().get("/actuator/health/readiness").status() == 200);
			// ready means serving the active version: already a copy at the rebuild
			Path replaced = directory(otherRoot, version);
			assertThat(segmentIds(replaced)).isNotEmpty().doesNotContainAnyElementsOf(before);
			assertThat(Files.readString(replaced.resolve(IndexFields.REBUILD_FILE)))
				.isEqualTo(Long.toString(generation));
			assertThat(userData(replaced)).doesNotContainKey(IndexBuilder.BASE_KEY);
			assertThat(deletedChunks(replaced)).isZero();
			Api.Response search = other.api().get("/brain/search?mode=lexical&q=otters+muddy+bank");
			assertThat(search.header("X-Brain-Version")).isEqualTo(Long.toString(version));
			assertThat(search.json().at("/results/0/documentKey").asText()).isEqualTo(prefix + "-4");
		}
	}

	@Test
	void onlyAnOperatorRebuildsAndOnlyASealedVersion() {
		long building = createVersion("none");
		Api.Response refused = api().post("/brain/versions/" + building + "/rebuild", null);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().get("detail").asText()).contains("BUILDING");
		assertThat(api().post("/brain/versions/999999999/rebuild", null).status()).isEqualTo(404);
		assertThat(readerApi().post("/brain/versions/" + building + "/rebuild", null).status()).isEqualTo(403);
	}

	private Path directory(long version) throws IOException {
		return directory(this.platform.indexDir(), version);
	}

	private static Path directory(Path root, long version) throws IOException {
		try (Stream<Path> dirs = Files.list(root)) {
			return dirs.filter((path) -> path.getFileName().toString().startsWith("v" + version + "-"))
				.findFirst()
				.orElseThrow();
		}
	}

	private static Map<String, String> userData(Path dir) throws IOException {
		try (FSDirectory directory = FSDirectory.open(dir)) {
			return SegmentInfos.readLatestCommit(directory).getUserData();
		}
	}

	private static Set<String> segmentIds(Path dir) throws IOException {
		Set<String> ids = new HashSet<>();
		try (FSDirectory directory = FSDirectory.open(dir)) {
			SegmentInfos.readLatestCommit(directory)
				.forEach((info) -> ids.add(java.util.HexFormat.of().formatHex(info.info.getId())));
		}
		return ids;
	}

	private static int deletedChunks(Path dir) throws IOException {
		try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
			return reader.numDeletedDocs();
		}
	}

	private static Set<Object> inodes(Path dir) throws IOException {
		Set<Object> inodes = new HashSet<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files
				.filter((f) -> !f.getFileName().toString().startsWith("segments")
						&& !f.getFileName().toString().equals("write.lock"))
				.toList()) {
				inodes.add(Files.getAttribute(file, "unix:ino"));
			}
		}
		return inodes;
	}

}
