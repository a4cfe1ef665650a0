package io.brainplane.index;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An index version as the API shows it.
 *
 * @param evaluation the last evaluation stored on the version (raw JSON), absent when
 * never evaluated
 * @param embeddingModel the model every vector of the version comes from; absent when the
 * version is lexical only
 * @param embeddingDimension the length of its vectors, once known
 * @param progress how far ingestion has come
 */
public record IndexVersion(long version, String label, VersionState state, Long parent, boolean active,
		Instant createdAt, Instant sealedAt, Instant activatedAt, int documentCount, long chunkCount, String checksum,
		@JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String evaluation,
		@JsonInclude(JsonInclude.Include.NON_NULL) String embeddingModel,
		@JsonInclude(JsonInclude.Include.NON_NULL) Integer embeddingDimension, IngestProgress progress) {

	IndexVersion withProgress(IngestProgress progress) {
		return new IndexVersion(this.version, this.label, this.state, this.parent, this.active, this.createdAt,
				this.sealedAt, this.activatedAt, this.documentCount, this.chunkCount, this.checksum, this.evaluation,
				this.embeddingModel, this.embeddingDimension, progress);
	}

	public VersionRef ref() {
		return new VersionRef(this.version, this.checksum);
	}

}
