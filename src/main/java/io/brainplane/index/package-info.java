/**
 * Index versions: the immutable builds of the brain, their membership (which revision of
 * which document each version holds, shared between versions like a git tree), sealing,
 * activation and rollback through the single active pointer, diffs, and keeping every
 * replica on the active version (LISTEN/NOTIFY with a polling fallback). The local search
 * index is reached only through {@link io.brainplane.index.ReplicaIndex}, which the
 * search module implements.
 * <p>
 * Owns the tables {@code brain_index}, {@code version_member}, {@code active_pointer} and
 * {@code activation_log}. Implementation types live in {@code internal}; the root package
 * is the module's API.
 */
@NonNullApi
package io.brainplane.index;

import org.springframework.lang.NonNullApi;
