package io.brainplane.index;

import java.util.Optional;
import java.util.Set;

/**
 * This replica's local, derived copy of sealed versions (implemented by the search
 * module). The index module decides which versions are open and which one is served; the
 * implementation decides how.
 */
public interface ReplicaIndex {

	/**
	 * Makes the version searchable locally, building it from the database if needed.
	 * Blocks until it is open.
	 */
	void open(VersionRef version);

	/**
	 * Starts making the version searchable locally and returns at once; a later
	 * {@link #open} or {@link #serve} finds it built (or waits for the build in
	 * progress). A failed build is retried by the next call.
	 */
	void prefetch(VersionRef version);

	/**
	 * Atomically switches the served version, opening it first if needed. The previous
	 * one keeps serving until the new one is open.
	 */
	void serve(VersionRef version);

	/**
	 * The version this replica answers searches from, if any.
	 */
	Optional<VersionRef> serving();

	/**
	 * Closes and deletes every local version except these (and the one being served).
	 */
	void retainOnly(Set<VersionRef> keep);

	/**
	 * The version's local index was rebuilt in full on some replica, its
	 * {@code generation}-th rebuild ({@link VersionService#rebuilt(long)}): if this
	 * replica has an older copy open, replace it in the background (from the segment
	 * store, or by a full build of its own) while the old copy keeps answering. Returns
	 * at once.
	 */
	void rebuilt(VersionRef version, long generation);

}
