package io.brainplane.backup.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reading and writing the gzip table files: SHA-256 and size of what lands on disk, fast
 * compression (a backup is written far more often than it is read).
 */
public final class BackupFiles {

	private static final int BUFFER = 1 << 16;

	private BackupFiles() {
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String hex(MessageDigest digest) {
		return HexFormat.of().formatHex(digest.digest());
	}

	static InputStream gunzip(Path file) throws IOException {
		return new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER), BUFFER);
	}

	/**
	 * Decompresses the file, counting rows (one line per row in {@code COPY} text format)
	 * while hashing the compressed bytes.
	 */
	static Scan scan(Path file) throws IOException {
		MessageDigest digest = sha256();
		long rows = 0;
		try (InputStream in = new GZIPInputStream(
				new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER), digest), BUFFER)) {
			byte[] buffer = new byte[BUFFER];
			int read;
			while ((read = in.read(buffer)) != -1) {
				for (int i = 0; i < read; i++) {
					if (buffer[i] == '\n') {
						rows++;
					}
				}
			}
		}
		return new Scan(rows, hex(digest));
	}

	/** What a scan found. */
	record Scan(long rows, String sha256) {
	}

	/**
	 * A gzip writer that hashes and counts the compressed bytes.
	 */
	static final class Writer implements AutoCloseable {

		private final MessageDigest digest = BackupFiles.sha256();

		private final Counting counting;

		private final OutputStream out;

		Writer(Path file) throws IOException {
			this.counting = new Counting(Files.newOutputStream(file), this.digest);
			this.out = new BufferedOutputStream(new FastGzip(this.counting), BUFFER);
		}

		OutputStream stream() {
			return this.out;
		}

		long size() {
			return this.counting.count;
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

	private static final class Counting extends FilterOutputStream {

		private final MessageDigest digest;

		private long count;

		Counting(OutputStream out, MessageDigest digest) {
			super(new BufferedOutputStream(out, BUFFER));
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

	}

}
