package io.brainplane.storage;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What every {@link ObjectStore} does, run against each implementation. */
abstract class ObjectStoreContract {

	/** Larger than two parts of the S3 store under test (5 MB). */
	static final int LARGE = 12 * 1024 * 1024 + 123;

	abstract ObjectStore store();

	@Test
	void putThenGetHeadAndExists() throws IOException {
		ObjectInfo stored = store().put("a/b/one.txt", text("hello"));
		assertThat(stored.key()).isEqualTo("a/b/one.txt");
		assertThat(stored.size()).isEqualTo(5);
		assertThat(read("a/b/one.txt")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
		assertThat(store().head("a/b/one.txt")).hasValueSatisfying((info) -> assertThat(info.size()).isEqualTo(5));
		assertThat(store().exists("a/b/one.txt")).isTrue();
		assertThat(store().exists("a/b/two.txt")).isFalse();
		assertThat(store().head("a/b/two.txt")).isEmpty();
	}

	@Test
	void emptyObjects() throws IOException {
		store().put("empty", InputStream.nullInputStream());
		assertThat(read("empty")).isEmpty();
		assertThat(store().head("empty")).hasValueSatisfying((info) -> assertThat(info.size()).isZero());
	}

	@Test
	void aPutReplacesTheObject() throws IOException {
		store().put("replace.txt", text("first"));
		store().put("replace.txt", text("second, longer"));
		assertThat(new String(read("replace.txt"), StandardCharsets.UTF_8)).isEqualTo("second, longer");
	}

	@Test
	void largeObjectsGoUpInPartsAndComeBackWhole() throws IOException {
		byte[] content = random(LARGE);
		ObjectInfo stored = store().put("large.bin", new ByteArrayInputStream(content));
		assertThat(stored.size()).isEqualTo(LARGE);
		assertThat(Arrays.equals(read("large.bin"), content)).isTrue();
		assertUploadedInParts("large.bin", 3);
	}

	/**
	 * Checks the object went up as a multipart upload of this many parts, if the store
	 * has parts.
	 */
	abstract void assertUploadedInParts(String key, int parts) throws IOException;

	@Test
	void aContentThatFailsHalfWayLeavesNoObject() throws IOException {
		store().put("failing.bin", text("the previous object"));
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> store().put("failing.bin", failingAfter(random(LARGE), 7 * 1024 * 1024)))
			.withMessageContaining("No space left on device");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> store().put("failing-new.bin", failingAfter(random(LARGE), 7 * 1024 * 1024)));
		assertThat(store().exists("failing-new.bin")).isFalse();
		assertThat(store().list("failing")).extracting(ObjectInfo::key).containsExactly("failing.bin");
		assertThat(new String(read("failing.bin"), StandardCharsets.UTF_8)).isEqualTo("the previous object");
		assertNoUploadsInProgress();
	}

	abstract void assertNoUploadsInProgress() throws IOException;

	@Test
	void anUploadAppearsOnCommitAndNotAtAllWhenClosedWithoutOne() throws IOException {
		byte[] content = random(LARGE);
		try (Upload upload = store().upload("streamed/abandoned.bin")) {
			upload.write(content);
			assertThat(store().exists("streamed/abandoned.bin")).isFalse();
		}
		assertThat(store().exists("streamed/abandoned.bin")).isFalse();
		assertNoUploadsInProgress();
		try (Upload upload = store().upload("streamed/committed.bin")) {
			for (int i = 0; i < content.length; i += 1000) {
				upload.write(content, i, Math.min(1000, content.length - i));
			}
			upload.write(7);
			assertThat(upload.commit().size()).isEqualTo(LARGE + 1);
		}
		byte[] stored = read("streamed/committed.bin");
		assertThat(Arrays.equals(Arrays.copyOf(stored, LARGE), content)).isTrue();
		assertThat(stored[LARGE]).isEqualTo((byte) 7);
		assertUploadedInParts("streamed/committed.bin", 3);
	}

	@Test
	void listsByPrefixSortedByKey() throws IOException {
		store().put("list/b/2", text("22"));
		store().put("list/a/1", text("1"));
		store().put("list/a/3", text("333"));
		store().put("lister/x", text("x"));
		assertThat(store().list("list/")).extracting(ObjectInfo::key)
			.containsExactly("list/a/1", "list/a/3", "list/b/2");
		assertThat(store().list("list/a/")).extracting(ObjectInfo::size).containsExactly(1L, 3L);
		assertThat(store().list("list")).extracting(ObjectInfo::key).contains("lister/x");
		assertThat(store().list("list/a/3")).extracting(ObjectInfo::key).containsExactly("list/a/3");
		assertThat(store().list("none/")).isEmpty();
	}

	@Test
	void deletesObjectsAndPrefixes() throws IOException {
		store().put("del/a", text("a"));
		store().put("del/b/c", text("c"));
		store().put("keep/d", text("d"));
		store().delete("del/a");
		store().delete("del/a");
		store().delete("del/never");
		assertThat(store().exists("del/a")).isFalse();
		assertThat(store().deleteAll("del/")).isEqualTo(1);
		assertThat(store().list("del/")).isEmpty();
		assertThat(store().exists("keep/d")).isTrue();
	}

	@Test
	void aMissingObjectIsNoSuchFile() {
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> store().get("missing/object"));
	}

	@Test
	void keysCannotLeaveTheStore() {
		for (String key : new String[] { "../escape", "a/../../escape", "/absolute", "a//b", "a\\b", "" }) {
			assertThatIllegalArgumentException().as(key).isThrownBy(() -> store().put(key, text("x")));
		}
	}

	byte[] read(String key) throws IOException {
		try (InputStream in = store().get(key)) {
			return in.readAllBytes();
		}
	}

	static InputStream text(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

	static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	/** A stream that fails as a full disk would, after this many bytes. */
	static InputStream failingAfter(byte[] content, int bytes) {
		return new FilterInputStream(new ByteArrayInputStream(content)) {

			private long read;

			@Override
			public int read() throws IOException {
				check(1);
				return super.read();
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				check(len);
				int n = super.read(b, off, len);
				this.read += Math.max(n, 0);
				return n;
			}

			private void check(int len) throws IOException {
				if (this.read + len > bytes) {
					throw new IOException("No space left on device");
				}
			}

		};
	}

}
