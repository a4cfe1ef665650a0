package io.brainplane.backup.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.brainplane.platform.Sha256;

import org.springframework.lang.Nullable;

/**
 * Reading and writing the table files as streams: gzip (fast compression; a backup is
 * written far more often than it is read), then AES-256-GCM when a key is given; SHA-256
 * and size of what is stored.
 */
public final class BackupFiles {

	private static final int BUFFER = 1 << 16;

	private BackupFiles() {
	}

	static String hex(MessageDigest digest) {
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The rows of a stored file: decrypted when a key is given, decompressed. */
	static InputStream rows(InputStream stored, @Nullable BackupCipher.Key key) throws IOException {
		InputStream in = new BufferedInputStream(stored, BUFFER);
		if (key != null) {
			in = BackupCipher.decrypt(in, key);
		}
		return new GZIPInputStream(in, BUFFER);
	}

	/**
	 * Reads a stored file to its end, counting rows (one line per row in {@code COPY}
	 * text format) while hashing and counting the stored bytes.
	 */
	static Scan scan(InputStream stored, @Nullable BackupCipher.Key key) throws IOException {
		Counting counting = new Counting(stored);
		long rows = 0;
		try (InputStream in = rows(counting, key)) {
			byte[] buffer = new byte[BUFFER];
			int read;
			while ((read = in.read(buffer)) != -1) {
				for (int i = 0; i < read; i++) {
					if (buffer[i] == '\n') {
						rows++;
					}
				}
			}
			// what follows the end of the gzip stream is stored bytes too
			counting.transferTo(OutputStream.nullOutputStream());
		}
		return new Scan(rows, counting.count, hex(counting.digest));
	}

	/** What a scan found. */
	record Scan(long rows, long size, String sha256) {
	}

	/**
	 * A gzip writer, encrypting when a key is given, that hashes and counts the stored
	 * bytes. Closing it finishes the file but leaves the sink open.
	 */
	static final class Writer implements AutoCloseable {

		private final MessageDigest digest = Sha256.digest();

		private final Hashing hashing;

		private final OutputStream out;

		Writer(OutputStream sink, @Nullable BackupCipher.Key key) throws IOException {
			this.hashing = new Hashing(sink, this.digest);
			OutputStream stored = (key != null) ? BackupCipher.encrypt(this.hashing, key) : this.hashing;
			this.out = new BufferedOutputStream(new FastGzip(stored), BUFFER);
		}

		OutputStream stream() {
			return this.out;
		}

		long size() {
			return this.hashing.count;
		}

		String sha256() {
			return hex(this.digest);
		}

		@Override
		public void close() throws IOException {
			this.out.close();
		}

	}

	private static final class FastGzip extends GZIPOutputStream {

		FastGzip(OutputStream out) throws IOException {
			super(out, BUFFER);
			this.def.setLevel(Deflater.BEST_SPEED);
		}

	}

	/** Hashes and counts what passes; closing flushes but keeps the sink open. */
	private static final class Hashing extends FilterOutputStream {

		private final MessageDigest digest;

		private long count;

		Hashing(OutputStream sink, MessageDigest digest) {
			super(sink);
			this.digest = digest;
		}

		@Override
		public void write(int b) throws IOException {
			this.out.write(b);
			this.digest.update((byte) b);
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.out.write(b, off, len);
			this.digest.update(b, off, len);
			this.count += len;
		}

		@Override
		public void close() throws IOException {
			this.out.flush();
		}

	}

	private static final class Counting extends FilterInputStream {

		private final MessageDigest digest = Sha256.digest();

		private long count;

		Counting(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				this.digest.update((byte) b);
				this.count++;
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = super.read(b, off, len);
			if (n > 0) {
				this.digest.update(b, off, n);
				this.count += n;
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			// skipped bytes would escape the hash
			return Math.max(0, read(new byte[(int) Math.min(n, BUFFER)]));
		}

	}

}
