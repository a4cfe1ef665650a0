package io.brainplane.index;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How far a version's ingestion (chunking and embedding in background jobs) has come.
 *
 * @param state {@code DONE}, {@code QUEUED}, {@code RUNNING} or {@code FAILED} (some job
 * gave up; see {@code error})
 * @param documents documents in the version
 * @param chunked documents already cut into chunks
 * @param chunks chunks of the chunked documents
 * @param embedded chunks that have a vector from the version's model (0 when lexical)
 * @param failed documents whose job gave up
 * @param percent 0..100
 * @param etaSeconds estimated seconds to done at the current pace, when running
 * @param error the last job failure, when a job failed
 */
public record IngestProgress(IngestState state, int documents, int chunked, long chunks, long embedded, int failed,
		double percent, @JsonInclude(JsonInclude.Include.NON_NULL) Long etaSeconds,
		@JsonInclude(JsonInclude.Include.NON_NULL) String error) {

	/** A sealed version: everything was done before it was sealed. */
	static IngestProgress complete(int documents, long chunks, boolean embedded) {
		return new IngestProgress(IngestState.DONE, documents, documents, chunks, embedded ? chunks : 0, 0, 100, null,
				null);
	}

	public boolean done() {
		return this.state == IngestState.DONE;
	}

	public boolean pending() {
		return this.state.pending();
	}

}
