package io.brainplane.search.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.index.IndexProperties;
import io.brainplane.index.VersionRef;
import io.brainplane.storage.ObjectInfo;
import io.brainplane.storage.ObjectStore;
import io.brainplane.storage.ObjectStores;
import io.brainplane.storage.Upload;
import io.brainplane.storage.StorageProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexInput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the segment store reads and asks, counted: a publish asks whether each file is in
 * the store once (a second time only for files it found there, which a garbage collection
 * could delete before the manifest names them), and a fetch reads only the footer of each
 * file it links from a local index, downloading and reading whole only the rest.
 */
class SegmentStoreReadsTests {

	@TempDir
	Path dir;

	private final Map<String, AtomicLong> existsAsked = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> bytesRead = new ConcurrentHashMap<>();

	@Test
	void aPublishAsksOnceForTheFilesItUploadsAndTwiceOnlyForTheFilesItFound() throws IOException {
		SegmentStore store = store();
		Path builder = this.dir.resolve("builder");
		VersionRef base = new VersionRef(1, "aaaaaaaaaaaaaaaaaaaa");
		Path baseDir = builder.resolve(base.directoryName());
		RiverIndexes.write(baseDir, IndexWriterConfig.OpenMode.CREATE, 0, 300);
		store.publish(base, baseDir);
		Map<String, Long> first = segmentFiles();
		assertThat(first).isNotEmpty().allSatisfy((key, asked) -> assertThat(asked).as(key).isEqualTo(1));

		VersionRef next = new VersionRef(2, "bbbbbbbbbbbbbbbbbbbb");
		Path nextDir = linkedCopy(baseDir, builder.resolve(next.directoryName()));
		RiverIndexes.write(nextDir, IndexWriterConfig.OpenMode.APPEND, 300, 5);
		this.existsAsked.clear();
		store.publish(next, nextDir);
		Map<String, Long> second = segmentFiles();
		assertThat(second)
			.allSatisfy((key, asked) -> assertThat(asked).as(key).isEqualTo(first.containsKey(key) ? 2 : 1));
		assertThat(second.keySet()).as("the new segment's files").isNotEqualTo(first.keySet());
	}

	@Test
	void aFetchReadsOnlyTheFooterOfTheFilesItLinksFromALocalIndex() throws IOException {
		SegmentStore store = store();
		Path builder = this.dir.resolve("builder");
		VersionRef base = new VersionRef(1, "aaaaaaaaaaaaaaaaaaaa");
		Path baseDir = builder.resolve(base.directoryName());
		RiverIndexes.write(baseDir, IndexWriterConfig.OpenMode.CREATE, 0, 300);
		store.publish(base, baseDir);
		VersionRef next = new VersionRef(2, "bbbbbbbbbbbbbbbbbbbb");
		Path nextDir = linkedCopy(baseDir, builder.resolve(next.directoryName()));
		RiverIndexes.write(nextDir, IndexWriterConfig.OpenMode.APPEND, 300, 5);
		store.publish(next, nextDir);

		// a replica with the base: every file downloaded and read whole
		Path replica = this.dir.resolve("replica");
		Files.createDirectories(replica);
		assertThat(store.download(base, replica.resolve(base.directoryName()), replica)).isTrue();
		long baseBytes = sizes(replica.resolve(base.directoryName())).values()
			.stream()
			.mapToLong(Long::longValue)
			.sum();
		assertThat(this.bytesRead.values().stream().mapToLong(AtomicLong::get).sum()).isGreaterThanOrEqualTo(baseBytes);

		// then the next version: the base's files linked, only their footers read
		this.bytesRead.clear();
		Path fetched = replica.resolve(next.directoryName());
		assertThat(store.download(next, fetched, replica)).isTrue();
		Map<String, Long> onBase = sizes(replica.resolve(base.directoryName()));
		Map<String, Long> sizes = sizes(fetched);
		assertThat(this.bytesRead).isNotEmpty();
		long linked = 0;
		for (Map.Entry<String, AtomicLong> read : this.bytesRead.entrySet()) {
			String name = read.getKey();
			// (a segment's .si file, a few hundred bytes, is read whole when the commit
			// is opened)
			if (onBase.containsKey(name) && !name.startsWith("segments_") && !name.endsWith(".si")) {
				assertThat(Files.isSameFile(fetched.resolve(name), replica.resolve(base.directoryName()).resolve(name)))
					.as(name + " linked")
					.isTrue();
				assertThat(read.getValue().get()).as(name + ": its footer only").isLessThanOrEqualTo(64);
				linked++;
			}
			else {
				assertThat(read.getValue().get()).as(name + " downloaded, read whole")
					.isGreaterThanOrEqualTo(sizes.get(name));
			}
		}
		assertThat(linked).as("files linked from the base").isPositive();
		try (FSDirectory directory = FSDirectory.open(fetched);
				DirectoryReader reader = DirectoryReader.open(directory)) {
			assertThat(reader.numDocs()).isEqualTo(305);
		}
	}

	private Map<String, Long> segmentFiles() {
		Map<String, Long> asked = new java.util.TreeMap<>();
		this.existsAsked.forEach((key, count) -> {
			if (key.startsWith("segments/")) {
				asked.put(key, count.get());
			}
		});
		return asked;
	}

	private SegmentStore store() {
		Path root = this.dir.resolve("store");
		ObjectStores stores = new ObjectStores(new StorageProperties(
				new StorageProperties.S3(null, "us-east-1", null, "brainplane/", true, DataSize.ofMegabytes(5)))) {
			@Override
			public ObjectStore filesystem(Path path) {
				return new CountingStore(super.filesystem(path));
			}
		};
		return new SegmentStore(
				new IndexProperties(3, Duration.ofSeconds(1),
						new IndexProperties.KeepVersions(20, null, Duration.ofDays(7)), true, 0.3,
						IndexProperties.VectorEncoding.FLOAT32, IndexProperties.SegmentStoreKind.FILESYSTEM, root, 0),
				stores, new ObjectMapper(), new SimpleMeterRegistry()) {
			@Override
			Directory directory(Path path) throws IOException {
				return new CountingDirectory(FSDirectory.open(path));
			}
		};
	}

	private static Path linkedCopy(Path from, Path to) throws IOException {
		Files.createDirectories(to);
		try (Stream<Path> files = Files.list(from)) {
			for (Path file : files.filter((f) -> !f.getFileName().toString().equals("write.lock")).toList()) {
				Files.createLink(to.resolve(file.getFileName()), file);
			}
		}
		return to;
	}

	private static Map<String, Long> sizes(Path dir) throws IOException {
		Map<String, Long> sizes = new java.util.HashMap<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files.toList()) {
				sizes.put(file.getFileName().toString(), Files.size(file));
			}
		}
		return sizes;
	}

	/** Counts how often each key's existence is asked. */
	private final class CountingStore implements ObjectStore {

		private final ObjectStore in;

		CountingStore(ObjectStore in) {
			this.in = in;
		}

		@Override
		public boolean exists(String key) throws IOException {
			SegmentStoreReadsTests.this.existsAsked.computeIfAbsent(key, (k) -> new AtomicLong()).incrementAndGet();
			return this.in.exists(key);
		}

		@Override
		public Upload upload(String key) throws IOException {
			return this.in.upload(key);
		}

		@Override
		public ObjectInfo put(String key, InputStream content) throws IOException {
			return this.in.put(key, content);
		}

		@Override
		public Optional<ObjectInfo> head(String key) throws IOException {
			return this.in.head(key);
		}

		@Override
		public InputStream get(String key) throws IOException {
			return this.in.get(key);
		}

		@Override
		public List<ObjectInfo> list(String prefix) throws IOException {
			return this.in.list(prefix);
		}

		@Override
		public void delete(String key) throws IOException {
			this.in.delete(key);
		}

		@Override
		public String location() {
			return this.in.location();
		}

	}

	/** Counts the bytes read from each file. */
	private final class CountingDirectory extends FilterDirectory {

		CountingDirectory(Directory in) {
			super(in);
		}

		@Override
		public IndexInput openInput(String name, IOContext context) throws IOException {
			AtomicLong counter = SegmentStoreReadsTests.this.bytesRead.computeIfAbsent(name, (k) -> new AtomicLong());
			return new FilterIndexInput("counting " + name, this.in.openInput(name, context)) {
				@Override
				public byte readByte() throws IOException {
					counter.incrementAndGet();
					return this.in.readByte();
				}

				@Override
				public void readBytes(byte[] b, int offset, int len) throws IOException {
					counter.addAndGet(len);
					this.in.readBytes(b, offset, len);
				}
			};
		}

	}

}
