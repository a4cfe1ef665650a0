package io.brainplane.platform;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for the request path, as unguessable as
 * {@link UUID#randomUUID()} but without its shared generator: that one is a single
 * {@code NativePRNG} behind a lock that reads {@code /dev/urandom}, so under load every
 * search and request id queued on it (and on a descheduled lock holder). Here each thread
 * has its own DRBG, seeded once from the system's entropy.
 */
public final class Ids {

	private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::newGenerator);

	private Ids() {
	}

	/** A new random UUID (version 4, IETF variant). */
	public static UUID randomUuid() {
		byte[] bytes = new byte[16];
		RANDOM.get().nextBytes(bytes);
		bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
		bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
		long most = 0;
		long least = 0;
		for (int i = 0; i < 8; i++) {
			most = (most << 8) | (bytes[i] & 0xff);
			least = (least << 8) | (bytes[8 + i] & 0xff);
		}
		return new UUID(most, least);
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
