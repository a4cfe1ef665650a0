package io.brainplane.index;

import java.time.Instant;

/**
 * The active version as this replica last read it from the database.
 *
 * @param switchedAt when the pointer last moved (start of any replica lag)
 */
public record ActiveSnapshot(long version, String label, String checksum, Instant activatedAt, Instant sealedAt,
		int documents, long chunks, Instant switchedAt) {

	public VersionRef ref() {
		return new VersionRef(this.version, this.checksum);
	}

}
