package io.brainplane.platform;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for the request path, as unguessable as
 * {@link UUID#randomUUID()} but without its shared generator: that one is a single
 * {@code NativePRNG} behind a lock that reads {@code /dev/urandom}, so under load every
 * search and request id queued on it (and on a descheduled lock holder). Here each thread
 * has its own DRBG, seeded once from the system's entropy, and draws its bytes 32 ids at
 * a time: each draw from a DRBG costs a few hashes whatever its length, and a search
 * takes two ids (docs/performance.md).
 */
public final class Ids {

	private static final int IDS_PER_DRAW = 32;

	private static final ThreadLocal<Source> RANDOM = ThreadLocal.withInitial(Source::new);

	private Ids() {
	}

	/** A new random UUID (version 4, IETF variant). */
	public static UUID randomUuid() {
		Source source = RANDOM.get();
		byte[] bytes = source.bytes;
		int at = source.next16();
		long most = 0;
		long least = 0;
		for (int i = 0; i < 8; i++) {
			most = (most << 8) | (bytes[at + i] & 0xff);
			least = (least << 8) | (bytes[at + 8 + i] & 0xff);
		}
		// version 4, IETF variant
		most = (most & ~0xf000L) | 0x4000L;
		least = (least & 0x3fffffffffffffffL) | 0x8000000000000000L;
		return new UUID(most, least);
	}

	/** One thread's generator and the bytes of its last draw. */
	private static final class Source {

		private final SecureRandom random = newGenerator();

		private final byte[] bytes = new byte[16 * IDS_PER_DRAW];

		private int used = this.bytes.length;

		/** The offset of 16 fresh bytes (each handed out once). */
		int next16() {
			if (this.used == this.bytes.length) {
				this.random.nextBytes(this.bytes);
				this.used = 0;
			}
			int at = this.used;
			this.used += 16;
			return at;
		}

	}

	private static SecureRandom newGenerator() {
		try {
			return SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

}
