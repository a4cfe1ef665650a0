package io.brainplane.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.platform.PlatformProperties;
import io.brainplane.storage.ObjectInfo;
import io.brainplane.storage.ObjectStore;
import io.brainplane.storage.ObjectStores;
import io.brainplane.storage.StorageProperties;
import io.brainplane.storage.Upload;
import io.brainplane.support.IntegrationTest;
import net.javacrumbs.shedlock.core.LockProvider;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A disk that fills up during a backup: the writes fail with "No space left on device"
 * after a few kilobytes. The backup ends FAILED, nothing is left in the store, and
 * nothing of it is listed or counted.
 */
class DiskFullTests extends IntegrationTest {

	@Autowired
	private BackupStore store;

	@Autowired
	private BackupKeys keys;

	@Autowired
	private Verifier verifier;

	@Autowired
	private Restorer restorer;

	@Autowired
	private VersionRestorer versionRestorer;

	@Autowired
	private DrillEvaluator drillEvaluator;

	@Autowired
	private LockProvider locks;

	@Autowired
	private BackupMetrics metrics;

	@Autowired
	private BackupProperties properties;

	@Autowired
	private StorageProperties storage;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private ObjectMapper json;

	@Autowired
	private Clock clock;

	@Test
	void aDiskThatFillsUpDuringABackupLeavesNothingMarkedSucceededAndNoFiles() throws IOException {
		// rows that compress to far more than the free space
		long version = api().post("/brain/versions", java.util.Map.of("label", unique("disk-full"), "base", "none"))
			.json()
			.get("version")
			.asLong();
		StringBuilder content = new StringBuilder();
		java.util.Random random = new java.util.Random(42);
		while (content.length() < 60_000) {
			content.append(Long.toHexString(random.nextLong())).append(' ');
		}
		assertThat(api()
			.put("/brain/versions/" + version + "/documents",
					java.util.Map.of("documents", List
						.of(java.util.Map.of("key", unique("full"), "title", "t", "content", content.toString()))))
			.status()).isEqualTo(200);
		Path dir = Files.createTempDirectory("disk-full");
		ObjectStores full = new ObjectStores(this.storage) {

			@Override
			public ObjectStore filesystem(Path root) {
				return new FillingUp(super.filesystem(root), 8 * 1024);
			}

		};
		BackupProperties onFullDisk = new BackupProperties(true, "-", BackupProperties.Store.FILESYSTEM, dir, null,
				List.of(), this.properties.lockAtLeastFor(), this.properties.lockAtMostFor(), true,
				this.properties.target(), this.properties.retention(), this.properties.drill());
		BackupArchive archive = new BackupArchive(onFullDisk, new PlatformProperties(dir), full, this.json);
		BackupService backups = new BackupService(this.store, archive, this.keys,
				new SnapshotWriter(this.dataSource, archive, this.keys, this.clock), this.verifier, this.restorer,
				this.versionRestorer, this.drillEvaluator, this.locks, this.metrics, onFullDisk, this.clock);
		try {
			Backup backup = backups.runScheduled();
			assertThat(backup.state()).isEqualTo(Backup.FAILED);
			assertThat(this.jdbc.sql("select error from brain_backup where id = ?")
				.param(backup.id())
				.query(String.class)
				.single()).isEqualTo("IOException");
			try (Stream<Path> files = Files.walk(dir)) {
				assertThat(files.filter(Files::isRegularFile).toList()).as("no partial files").isEmpty();
			}
			assertThat(archive.ids()).isEmpty();
			assertThat(backups.list()).filteredOn((listed) -> listed.id().equals(backup.id()))
				.allMatch((listed) -> listed.state().equals(Backup.FAILED));
		}
		finally {
			backups.destroy();
		}
	}

	/** A store on a disk with this many bytes free. */
	private static final class FillingUp implements ObjectStore {

		private final ObjectStore disk;

		private final AtomicLong free;

		FillingUp(ObjectStore disk, long free) {
			this.disk = disk;
			this.free = new AtomicLong(free);
		}

		@Override
		public Upload upload(String key) throws IOException {
			Upload upload = this.disk.upload(key);
			return new Upload() {

				@Override
				public void write(int b) throws IOException {
					write(new byte[] { (byte) b }, 0, 1);
				}

				@Override
				public void write(byte[] b, int off, int len) throws IOException {
					if (FillingUp.this.free.addAndGet(-len) < 0) {
						throw new IOException("No space left on device");
					}
					upload.write(b, off, len);
				}

				@Override
				public ObjectInfo commit() throws IOException {
					return upload.commit();
				}

				@Override
				public void close() throws IOException {
					upload.close();
				}

			};
		}

		@Override
		public InputStream get(String key) throws IOException {
			return this.disk.get(key);
		}

		@Override
		public Optional<ObjectInfo> head(String key) throws IOException {
			return this.disk.head(key);
		}

		@Override
		public List<ObjectInfo> list(String prefix) throws IOException {
			return this.disk.list(prefix);
		}

		@Override
		public void delete(String key) throws IOException {
			this.disk.delete(key);
		}

		@Override
		public String location() {
			return this.disk.location();
		}

	}

}
