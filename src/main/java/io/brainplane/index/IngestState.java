package io.brainplane.index;

import java.util.Arrays;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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

	/**
	 * The state as an SQL literal, e.g. {@code 'QUEUED'}: written into the query text
	 * rather than bound, so the planner can use the partial indexes on job states.
	 */
	public String sql() {
		return "'" + name() + "'";
	}

	/**
	 * The states that pass the filter as an SQL list of literals, e.g.
	 * {@code ('QUEUED', 'RUNNING')}.
	 */
	public static String sqlList(Predicate<IngestState> filter) {
		return Arrays.stream(values()).filter(filter).map(IngestState::sql).collect(Collectors.joining(", ", "(", ")"));
	}

}
