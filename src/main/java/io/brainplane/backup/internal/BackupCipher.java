package io.brainplane.backup.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.brainplane.platform.Sha256;

/**
 * AES-256-GCM for backup files, streamed in segments so that no file is ever held whole
 * in memory (the construction of Tink's streaming AEAD, simplified). A file is a header
 * ({@code BPE1} and a random 7-byte nonce prefix) followed by segments of at most 64 KiB
 * of plaintext, each sealed on its own with the nonce {@code prefix | segment number |
 * last flag} and the header as associated data. Reordered, dropped, appended or truncated
 * segments fail authentication, as does a wrong key.
 */
public final class BackupCipher {

	/** What the manifest records. */
	public static final String ALGORITHM = "AES-256-GCM (64 KiB segments)";

	static final int SEGMENT = 64 * 1024;

	private static final int TAG_BYTES = 16;

	private static final byte[] MAGIC = "BPE1".getBytes(StandardCharsets.US_ASCII);

	private static final int PREFIX_BYTES = 7;

	private static final SecureRandom RANDOM = new SecureRandom();

	private BackupCipher() {
	}

	/**
	 * A 256-bit key and its id: a hash that names the key in manifests without giving
	 * anything about it away.
	 */
	public record Key(String id, SecretKey secret) {

		@Override
		public String toString() {
			return "Key[" + this.id + "]";
		}

	}

	/**
	 * The key from its base64 form.
	 * @throws IllegalArgumentException unless it is base64 of exactly 32 bytes; the
	 * message never contains the key
	 */
	public static Key key(String base64) {
		byte[] raw;
		try {
			raw = java.util.Base64.getDecoder().decode(base64.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("is not valid base64");
		}
		if (raw.length != 32) {
			throw new IllegalArgumentException("must be 32 bytes (base64 of 32 random bytes), not " + raw.length);
		}
		byte[] digest = Sha256.digest()
			.digest(concat("brainplane-backup-key:".getBytes(StandardCharsets.US_ASCII), raw));
		return new Key("k-" + HexFormat.of().formatHex(digest, 0, 8), new SecretKeySpec(raw, "AES"));
	}

	/**
	 * Encrypts everything written to the returned stream into {@code out}; closing it
	 * seals the last segment and closes {@code out}.
	 */
	static OutputStream encrypt(OutputStream out, Key key) throws IOException {
		byte[] header = new byte[MAGIC.length + PREFIX_BYTES];
		System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
		byte[] prefix = new byte[PREFIX_BYTES];
		RANDOM.nextBytes(prefix);
		System.arraycopy(prefix, 0, header, MAGIC.length, PREFIX_BYTES);
		out.write(header);
		return new Encrypting(out, key.secret(), header);
	}

	/** Decrypts a stream written by {@link #encrypt}. */
	static InputStream decrypt(InputStream in, Key key) throws IOException {
		byte[] header = in.readNBytes(MAGIC.length + PREFIX_BYTES);
		if (header.length < MAGIC.length + PREFIX_BYTES
				|| !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
			throw new Unreadable("not an encrypted backup file");
		}
		return new Decrypting(in, key.secret(), header);
	}

	private static byte[] nonce(byte[] header, int segment, boolean last) {
		return ByteBuffer.allocate(12)
			.put(header, MAGIC.length, PREFIX_BYTES)
			.putInt(segment)
			.put((byte) (last ? 1 : 0))
			.array();
	}

	private static Cipher cipher(int mode, SecretKey key, byte[] header, int segment, boolean last) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(header, segment, last)));
			cipher.updateAAD(header);
			return cipher;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

	/** A file that does not decrypt: a wrong key, or damaged or truncated content. */
	public static final class Unreadable extends IOException {

		Unreadable(String message) {
			super(message);
		}

	}

	private static final class Encrypting extends FilterOutputStream {

		private final SecretKey key;

		private final byte[] header;

		private final byte[] buffer = new byte[SEGMENT];

		private int length;

		private int segment;

		private boolean closed;

		Encrypting(OutputStream out, SecretKey key, byte[] header) {
			super(out);
			this.key = key;
			this.header = header;
		}

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			while (len > 0) {
				// a full segment is sealed only when more follows: the last one is
				// sealed, flagged as last, on close
				if (this.length == SEGMENT) {
					seal(false);
				}
				int n = Math.min(len, SEGMENT - this.length);
				System.arraycopy(b, off, this.buffer, this.length, n);
				this.length += n;
				off += n;
				len -= n;
			}
		}

		private void seal(boolean last) throws IOException {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.key, this.header, this.segment, last);
			try {
				this.out.write(cipher.doFinal(this.buffer, 0, this.length));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			this.segment++;
			this.length = 0;
		}

		@Override
		public void flush() throws IOException {
			this.out.flush();
		}

		@Override
		public void close() throws IOException {
			if (!this.closed) {
				this.closed = true;
				try {
					seal(true);
				}
				finally {
					this.out.close();
				}
			}
		}

	}

	private static final class Decrypting extends InputStream {

		private final InputStream in;

		private final SecretKey key;

		private final byte[] header;

		private final byte[] sealed = new byte[SEGMENT + TAG_BYTES];

		private byte[] plain = new byte[0];

		private int position;

		private int segment;

		private int lookahead = -1;

		private boolean done;

		Decrypting(InputStream in, SecretKey key, byte[] header) {
			this.in = in;
			this.key = key;
			this.header = header;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (len == 0) {
				return 0;
			}
			while (this.position == this.plain.length) {
				if (this.done) {
					return -1;
				}
				next();
			}
			int n = Math.min(len, this.plain.length - this.position);
			System.arraycopy(this.plain, this.position, b, off, n);
			this.position += n;
			return n;
		}

		private void next() throws IOException {
			int length = 0;
			if (this.lookahead >= 0) {
				this.sealed[length++] = (byte) this.lookahead;
				this.lookahead = -1;
			}
			length += this.in.readNBytes(this.sealed, length, this.sealed.length - length);
			boolean last = length < this.sealed.length;
			if (!last) {
				this.lookahead = this.in.read();
				last = this.lookahead < 0;
			}
			if (length < TAG_BYTES) {
				throw new Unreadable("truncated");
			}
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, this.key, this.header, this.segment, last);
			try {
				this.plain = cipher.doFinal(this.sealed, 0, length);
			}
			catch (AEADBadTagException ex) {
				throw new Unreadable("does not decrypt with key: wrong key, or damaged or truncated content");
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			this.position = 0;
			this.segment++;
			this.done = last;
		}

		@Override
		public void close() throws IOException {
			this.in.close();
		}

	}

}
