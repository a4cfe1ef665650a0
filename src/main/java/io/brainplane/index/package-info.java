/**
 * Index versions: the immutable builds of the brain, sealing, activation and rollback
 * through the single active pointer, diffs, and keeping every replica on the active
 * version (LISTEN/NOTIFY with a polling fallback), with a heartbeat per replica. What a
 * version holds (its membership and chunks) belongs to the ingest module, asked through
 * {@link io.brainplane.index.VersionContents} and streamed to index builders through
 * {@link io.brainplane.index.VersionChunks}, both of which ingest implements; the local
 * search index is reached only through {@link io.brainplane.index.ReplicaIndex}, which
 * the search module implements. So this module depends on neither.
 * <p>
 * Owns the tables {@code brain_index}, {@code active_pointer}, {@code activation_log} and
 * {@code replica_heartbeat}. Implementation types live in {@code internal}; the root
 * package is the module's API.
 */
@NonNullApi
package io.brainplane.index;

import org.springframework.lang.NonNullApi;
