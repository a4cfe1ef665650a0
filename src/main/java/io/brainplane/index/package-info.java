/**
 * Index versions: the immutable builds of the brain, their membership (which revision of
 * which document each version holds, shared between versions like a git tree), sealing,
 * activation and rollback through the single active pointer, diffs, and keeping every
 * replica on the active version (LISTEN/NOTIFY with a polling fallback). The local search
 * index is reached only through {@link io.brainplane.index.ReplicaIndex}, which the
 * search module implements.
 */
@NonNullApi
package io.brainplane.index;

import org.springframework.lang.NonNullApi;
