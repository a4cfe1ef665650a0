package io.brainplane.index;

/**
 * Where ingestion work stands: the state of one ingestion job, and of a version's
 * ingestion as a whole (the most pressing of its jobs' states).
 */
public enum IngestState {

	/** Waiting for a worker (or for its next attempt). */
	QUEUED,
	/** A worker holds it. */
	RUNNING,
	/** Finished. */
	DONE,
	/** Gave up after its attempts, or on an error no retry can cure. */
	FAILED;

	/** Whether work is still to come. */
	public boolean pending() {
		return this == QUEUED || this == RUNNING;
	}

}
