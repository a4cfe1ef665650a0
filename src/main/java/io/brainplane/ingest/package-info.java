/**
 * Ingestion: documents into a building version. Each document is stored once per distinct
 * content as a content-addressed revision (key + SHA-256), cut into overlapping chunks on
 * paragraph and sentence boundaries, and pointed at from the version's membership (which
 * revision of which document each version holds, shared between versions like a git
 * tree). Implements the index module's {@link io.brainplane.index.VersionContents}
 * (copying membership, counts and checksum, diffs) and
 * {@link io.brainplane.index.VersionChunks} (streaming a version's chunks to whoever
 * builds a local index), and reads versions only through the index module's API.
 * <p>
 * Owns the tables {@code document_revision}, {@code version_member},
 * {@code version_change}, {@code chunk}, {@code chunk_embedding}, {@code ingest_job},
 * {@code webhook_delivery} and {@code ingest_sweep_cursor}. Implementation types live in
 * {@code internal}; the root package is the module's API:
 * {@link io.brainplane.ingest.RevisionImport}, which brings revisions back from a backup
 * into a building version; otherwise other modules reach ingestion over HTTP or through
 * the index module's interfaces.
 */
@NonNullApi
package io.brainplane.ingest;

import org.springframework.lang.NonNullApi;
