package io.brainplane.search;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * The shared segment store's garbage collection (implemented by the search module; a
 * no-op without a store).
 */
public interface IndexStorage {

	/**
	 * Deletes the manifests of versions that no longer exist (or whose content changed),
	 * then the segment files no remaining manifest names and uploaded before
	 * {@code uploadedBefore}. Manifests go first, so a manifest never names a deleted
	 * file; a run killed half-way leaves only unreferenced files, which the next run
	 * deletes.
	 * @param versions every existing version's number and checksum (null while
	 * {@code BUILDING}), read after the versions to delete were deleted
	 */
	Swept sweepSegmentStore(Map<Long, String> versions, Instant uploadedBefore) throws IOException;

	/**
	 * What a sweep deleted.
	 */
	record Swept(long manifests, long files, long bytes) {

		public static final Swept NOTHING = new Swept(0, 0, 0);

	}

}
