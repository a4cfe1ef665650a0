package io.brainplane.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.brainplane.index.VersionRef;
import io.brainplane.platform.PlatformProperties;
import io.brainplane.support.IntegrationTest;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SlowCodecReaderWrapper;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;

import io.brainplane.search.internal.BrainCodec;
import io.brainplane.search.internal.IndexBuilder;
import io.brainplane.search.internal.IndexFields;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version built on a base whose local index is here starts from the base's segment
 * files (hard links), replaces the changed documents' chunks and holds exactly what a
 * full build holds.
 */
class IncrementalIndexTests extends IntegrationTest {

	@Autowired
	private PlatformProperties platform;

	@Autowired
	private IndexBuilder builder;

	@Test
	void versionOnALocalBaseSharesTheBaseSegmentsAndHoldsWhatAFullBuildHolds() throws IOException {
		String prefix = unique("inc");
		List<Map<String, Object>> documents = numberedDocs(prefix, 40, "Animal %d",
				"Otter number %d floats on its back.");
		long base = sealedVersion("none", documents);
		long version = createVersion(Long.toString(base));
		assertThat(api().put("/brain/versions/" + version + "/documents",
				Map.of("documents",
						List.of(doc(prefix + "-3", "Changed", "Badgers dig setts at night."),
								doc(prefix + "-new", "New", "Herons stand still in shallow water.")),
						"deletes", List.of(prefix + "-7")))
			.status()).isEqualTo(200);
		assertThat(api().post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);

		Path baseDir = directory(base);
		Path built = directory(version);
		try (FSDirectory directory = FSDirectory.open(built)) {
			assertThat(SegmentInfos.readLatestCommit(directory).getUserData()).containsEntry(IndexBuilder.BASE_KEY,
					Long.toString(base));
		}
		// The base's segment files are shared, not copied.
		Set<Object> baseFiles = inodes(baseDir);
		assertThat(inodes(built)).containsAnyElementsOf(baseFiles);

		Path full = Files.createTempDirectory("full").resolve("index");
		VersionRef ref = new VersionRef(version,
				api().get("/brain/versions/" + version).json().get("checksum").asText());
		assertThat(this.builder.build(ref, full, true)).isEqualTo(IndexBuilder.Kind.FULL);
		assertThat(liveChunks(built)).isEqualTo(liveChunks(full))
			.contains(prefix + "-3 Badgers dig setts at night.", prefix + "-new Herons stand still in shallow water.")
			.noneMatch((chunk) -> chunk.startsWith(prefix + "-7 "))
			.noneMatch((chunk) -> chunk.equals(prefix + "-3 Otter number 3 floats on its back."))
			.hasSize(40);

		activate(version);
		assertThat(api().get("/brain/search?mode=lexical&q=badgers+setts").json().at("/results/0/documentKey").asText())
			.isEqualTo(prefix + "-3");
	}

	@Test
	void buildsInFullWithoutALocalBaseOrWhenTooManyChunksWouldBeDeleted() throws IOException {
		String prefix = unique("full");
		List<Map<String, Object>> documents = numberedDocs(prefix, 10, "Bird %d", "Wren number %d sings loudly.");
		long base = sealedVersion("none", documents);
		// Replaces 5 of 10 documents: half the chunks built on the base would be deleted.
		long version = createVersion(Long.toString(base));
		List<Map<String, Object>> changed = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			changed.add(doc(prefix + "-" + i, "Bird " + i, "Robin number " + i + " sings softly."));
		}
		assertThat(api().put("/brain/versions/" + version + "/documents", Map.of("documents", changed)).status())
			.isEqualTo(200);
		assertThat(api().post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
		try (FSDirectory directory = FSDirectory.open(directory(version))) {
			SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
			assertThat(infos.getUserData()).doesNotContainKey(IndexBuilder.BASE_KEY);
			assertThat(infos.size()).isEqualTo(1);
		}

		// A replica without the base's index builds in full.
		VersionRef ref = new VersionRef(version,
				api().get("/brain/versions/" + version).json().get("checksum").asText());
		Path elsewhere = Files.createTempDirectory("elsewhere").resolve(ref.directoryName());
		assertThat(this.builder.build(ref, elsewhere, false)).isEqualTo(IndexBuilder.Kind.FULL);
	}

	@Test
	void aBaseWrittenWithLucenesDefaultCodecIsBuiltOnIncrementallyAndStaysReadable() throws IOException {
		String prefix = unique("codec");
		long base = sealedVersion("none", numberedDocs(prefix, 30, "Fish %d", "Trout number %d swims upstream."));
		Path baseDir = directory(base);
		assertThat(codecs(baseDir)).containsOnly(BrainCodec.NAME);
		// As every replica's local indexes (and segment stores) were written before
		// BrainCodec.
		rewriteWithLucenesDefaultCodec(baseDir);
		assertThat(codecs(baseDir)).containsOnly("Lucene912");

		long version = createVersion(Long.toString(base));
		assertThat(api()
			.put("/brain/versions/" + version + "/documents",
					Map.of("documents", List.of(doc(prefix + "-4", "Fish 4", "Salmon leap up waterfalls."))))
			.status()).isEqualTo(200);
		assertThat(api().post("/brain/versions/" + version + "/seal", null).status()).isEqualTo(200);
		Path built = directory(version);
		try (FSDirectory directory = FSDirectory.open(built)) {
			assertThat(SegmentInfos.readLatestCommit(directory).getUserData()).containsEntry(IndexBuilder.BASE_KEY,
					Long.toString(base));
		}
		// the base's segment in the old codec, the changed chunk in the new one
		assertThat(codecs(built)).contains("Lucene912", BrainCodec.NAME);
		Path full = Files.createTempDirectory("full").resolve("index");
		VersionRef ref = new VersionRef(version,
				api().get("/brain/versions/" + version).json().get("checksum").asText());
		assertThat(this.builder.build(ref, full, true)).isEqualTo(IndexBuilder.Kind.FULL);
		assertThat(liveChunks(built)).isEqualTo(liveChunks(full))
			.contains(prefix + "-4 Salmon leap up waterfalls.", prefix + "-12 Trout number 12 swims upstream.")
			.hasSize(30);

		activate(version);
		var oldSegment = api().get("/brain/search?mode=lexical&q=trout+12").json();
		assertThat(oldSegment.at("/results/0/documentKey").asText()).isEqualTo(prefix + "-12");
		assertThat(oldSegment.at("/results/0/text").asText()).isEqualTo("Trout number 12 swims upstream.");
		var newSegment = api().get("/brain/search?mode=lexical&q=salmon+waterfalls").json();
		assertThat(newSegment.at("/results/0/documentKey").asText()).isEqualTo(prefix + "-4");
		assertThat(newSegment.at("/results/0/text").asText()).isEqualTo("Salmon leap up waterfalls.");
	}

	/**
	 * Rewrites a local index in place with Lucene's default codec, keeping its commit
	 * data.
	 */
	private static void rewriteWithLucenesDefaultCodec(Path dir) throws IOException {
		Path copy = Files.createTempDirectory("lucene912");
		try (FSDirectory source = FSDirectory.open(dir);
				DirectoryReader reader = DirectoryReader.open(source);
				FSDirectory target = FSDirectory.open(copy);
				IndexWriter writer = new IndexWriter(target,
						new IndexWriterConfig().setCodec(new Lucene912Codec()).setUseCompoundFile(false))) {
			List<CodecReader> leaves = new ArrayList<>();
			for (var leaf : reader.leaves()) {
				leaves.add(SlowCodecReaderWrapper.wrap(leaf.reader()));
			}
			writer.addIndexes(leaves.toArray(CodecReader[]::new));
			writer.setLiveCommitData(reader.getIndexCommit().getUserData().entrySet());
			writer.commit();
		}
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		try (Stream<Path> files = Files.list(copy)) {
			for (Path file : files.toList()) {
				Files.move(file, dir.resolve(file.getFileName()));
			}
		}
	}

	private static List<String> codecs(Path dir) throws IOException {
		List<String> names = new ArrayList<>();
		try (FSDirectory directory = FSDirectory.open(dir)) {
			for (SegmentCommitInfo info : SegmentInfos.readLatestCommit(directory)) {
				names.add(info.info.getCodec().getName());
			}
		}
		return names;
	}

	@Test
	void anIncrementalBuildSyncsOnlyTheFilesItWrote() throws IOException {
		String prefix = unique("sync");
		long base = sealedVersion("none",
				numberedDocs(prefix, 30, "Fish %d", "Trout number %d swims upstream in the cold river."));
		long version = sealedVersion(Long.toString(base),
				List.of(doc(prefix + "-2", "Changed", "Pike lurk among the weeds by the weir.")));
		VersionRef ref = new VersionRef(version,
				api().get("/brain/versions/" + version).json().get("checksum").asText());
		Set<String> baseFiles = names(directory(base));
		// built beside the base (".tmp-" names are left alone by this replica's sync)
		Path again = this.platform.indexDir().resolve(".tmp-again-" + ref.directoryName());
		try {
			IndexBuilder.Built built = this.builder.buildDetailed(ref, again, false);

			assertThat(built.kind()).isEqualTo(IndexBuilder.Kind.INCREMENTAL);
			// the new segment and the base's new deletions are synced; the base's linked
			// files, already on disk, are not synced again
			assertThat(built.synced()).anyMatch((name) -> name.endsWith(".si")).doesNotContainAnyElementsOf(baseFiles);
			assertThat(names(again)).containsAnyElementsOf(baseFiles);
		}
		finally {
			org.springframework.util.FileSystemUtils.deleteRecursively(again);
		}
	}

	private static Set<String> names(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> !name.equals("write.lock"))
				.collect(java.util.stream.Collectors.toSet());
		}
	}

	private Path directory(long version) throws IOException {
		try (Stream<Path> dirs = Files.list(this.platform.indexDir())) {
			return dirs.filter((path) -> path.getFileName().toString().startsWith("v" + version + "-"))
				.findFirst()
				.orElseThrow();
		}
	}

	private static Set<Object> inodes(Path dir) throws IOException {
		Set<Object> inodes = new java.util.HashSet<>();
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

	/** Every live chunk as "documentKey text". */
	private static Set<String> liveChunks(Path dir) throws IOException {
		Set<String> chunks = new TreeSet<>();
		try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
			for (var leaf : reader.leaves()) {
				Bits live = leaf.reader().getLiveDocs();
				StoredFields fields = leaf.reader().storedFields();
				for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
					if (live == null || live.get(doc)) {
						var document = fields.document(doc);
						chunks.add(document.get(IndexFields.DOCUMENT_KEY) + " " + document.get(IndexFields.TEXT));
					}
				}
			}
		}
		return chunks;
	}

}
