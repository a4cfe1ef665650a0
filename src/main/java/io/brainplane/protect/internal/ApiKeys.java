package io.brainplane.protect.internal;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.brainplane.platform.Sha256;

/**
 * The keys this service accepts, held only as SHA-256 digests. A presented key is hashed
 * and compared with every known digest in constant time, so neither the comparison nor
 * the number of comparisons tells an attacker how close a guess was.
 */
public final class ApiKeys {

	private final List<KnownKey> keys;

	ApiKeys(List<KnownKey> keys) {
		this.keys = List.copyOf(keys);
	}

	public Optional<KnownKey> find(String presented) {
		byte[] digest = Sha256.of(presented);
		KnownKey match = null;
		for (KnownKey key : this.keys) {
			if (MessageDigest.isEqual(digest, key.sha256()) && match == null) {
				match = key;
			}
		}
		return Optional.ofNullable(match);
	}

	int size() {
		return this.keys.size();
	}

	static byte[] parseSha256(String hex, String name) {
		try {
			byte[] digest = HexFormat.of().parseHex(hex.trim());
			if (digest.length == 32) {
				return digest;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new IllegalStateException("brain.security.keys: sha256 of key '" + name + "' is not 64 hex digits");
	}

	/**
	 * A key by its holder's name, role and digest.
	 */
	record KnownKey(String name, Role role, byte[] sha256) {

		@Override
		public String toString() {
			return "KnownKey[" + this.name + ", " + this.role + "]";
		}

	}

}
