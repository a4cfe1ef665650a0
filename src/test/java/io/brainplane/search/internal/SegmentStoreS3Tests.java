package io.brainplane.search.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.index.VersionRef;
import io.brainplane.index.IndexProperties;
import io.brainplane.storage.ObjectInfo;
import io.brainplane.storage.ObjectStore;
import io.brainplane.storage.ObjectStores;
import io.brainplane.storage.StorageProperties;
import io.brainplane.support.S3Server;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The segment store on a real S3 server (S3Proxy in process): a published version is
 * fetched whole, a version sharing segments with a local one fetches only the rest, and a
 * corrupt object is refused by its checksum, leaving nothing behind.
 */
class SegmentStoreS3Tests {

	private static S3Server server;

	private static ObjectStores stores;

	@BeforeAll
	static void start() {
		server = S3Server.start();
		stores = new ObjectStores(new StorageProperties(new StorageProperties.S3(server.endpoint(), "us-east-1",
				S3Server.BUCKET, "brainplane/", true, DataSize.ofMegabytes(5))));
	}

	@AfterAll
	static void stop() throws Exception {
		stores.destroy();
		server.close();
	}

	@Test
	void publishesOnceFetchesWhatIsMissingAndRefusesCorruptFiles() throws IOException {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		SegmentStore store = new SegmentStore(
				new IndexProperties(3, java.time.Duration.ofSeconds(1),
						new IndexProperties.KeepVersions(20, null, java.time.Duration.ofDays(7)), true, 0.3,
						IndexProperties.VectorEncoding.FLOAT32, IndexProperties.SegmentStoreKind.S3, null, 0),
				stores, new ObjectMapper(), meters);
		assertThat(store.location()).startsWith("s3://" + S3Server.BUCKET + "/brainplane/index/");
		Path builder = Files.createTempDirectory("builder");
		VersionRef base = new VersionRef(1, "aaaaaaaaaaaaaaaaaaaa");
		Path baseDir = builder.resolve(base.directoryName());
		RiverIndexes.write(baseDir, IndexWriterConfig.OpenMode.CREATE, "doc-0", 0, 500);
		store.publish(base, baseDir);
		assertThat(store.published(base)).isTrue();
		double baseUpload = meters.get("brain.index.segment.store.bytes")
			.tag("direction", "uploaded")
			.counter()
			.count();

		VersionRef next = new VersionRef(2, "bbbbbbbbbbbbbbbbbbbb");
		Path nextDir = builder.resolve(next.directoryName());
		Files.createDirectories(nextDir);
		try (Stream<Path> files = Files.list(baseDir)) {
			for (Path file : files.filter((f) -> !f.getFileName().toString().equals("write.lock")).toList()) {
				Files.createLink(nextDir.resolve(file.getFileName()), file);
			}
		}
		RiverIndexes.write(nextDir, IndexWriterConfig.OpenMode.APPEND, "doc-0", 500, 5);
		store.publish(next, nextDir);
		double nextUpload = meters.get("brain.index.segment.store.bytes").tag("direction", "uploaded").counter().count()
				- baseUpload;
		assertThat(nextUpload).as("only the new segment is uploaded").isPositive().isLessThan(baseUpload / 4);

		Path replica = Files.createTempDirectory("replica");
		assertThat(store.download(base, replica.resolve(base.directoryName()), replica)).isTrue();
		assertThat(docs(replica.resolve(base.directoryName()))).isEqualTo(500);
		assertThat(store.download(next, replica.resolve(next.directoryName()), replica)).isTrue();
		assertThat(docs(replica.resolve(next.directoryName()))).isEqualTo(504);
		assertThat(meters.get("brain.index.segment.store.bytes").tag("direction", "linked").counter().count())
			.isGreaterThanOrEqualTo(baseUpload * 0.9);
		assertThat(store.download(new VersionRef(3, "cccccccccccccccccccc"), replica.resolve("v3"), replica)).isFalse();

		ObjectStore raw = stores.s3("index/");
		ObjectInfo largest = raw.list("segments/")
			.stream()
			.max(java.util.Comparator.comparingLong(ObjectInfo::size))
			.orElseThrow();
		byte[] content;
		try (InputStream in = raw.get(largest.key())) {
			content = in.readAllBytes();
		}
		content[content.length / 2] ^= 0x5A;
		raw.put(largest.key(), new ByteArrayInputStream(content));
		Path fresh = Files.createTempDirectory("fresh");
		assertThatExceptionOfType(CorruptIndexException.class)
			.isThrownBy(() -> store.download(base, fresh.resolve(base.directoryName()), fresh));
		try (Stream<Path> left = Files.list(fresh)) {
			assertThat(left).isEmpty();
		}
	}

	private static int docs(Path dir) throws IOException {
		try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
			return reader.numDocs();
		}
	}

}
