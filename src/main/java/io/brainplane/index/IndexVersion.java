package io.brainplane.index;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An index version as the API shows it.
 *
 * @param evaluation the last evaluation stored on the version (raw JSON), absent when
 * never evaluated
 */
public record IndexVersion(long version, String label, VersionState state, Long parent, boolean active,
		Instant createdAt, Instant sealedAt, Instant activatedAt, int documentCount, long chunkCount, String checksum,
		@JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String evaluation) {

	public VersionRef ref() {
		return new VersionRef(this.version, this.checksum);
	}

}
