package io.brainplane.index;

/**
 * The background work that fills a building version (implemented by the ingest module): a
 * seal waits for it, and a version shows its progress.
 */
public interface VersionWork {

	/**
	 * Progress of a {@code BUILDING} version's jobs.
	 */
	IngestProgress progress(long version);

	/**
	 * Waits, for at most the configured time, until the version has no queued or running
	 * job.
	 * @return whether it has none
	 */
	boolean awaitIdle(long version);

	/**
	 * The state of the version's ingestion jobs alone ({@code DONE} when none is queued,
	 * running or failed): unlike {@link #progress}, which counts every chunk and vector
	 * of the version, it reads the job queue only, so a seal pays for it in proportion to
	 * the jobs, not the brain.
	 */
	default IngestState jobState(long version) {
		return progress(version).state();
	}

}
