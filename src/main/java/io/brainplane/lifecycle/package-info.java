/**
 * Lifecycle: the garbage collector. On a schedule, on one replica at a time (ShedLock),
 * it prunes old versions ({@code brain.index.keep-versions}) and then has each module
 * delete what no kept version uses, in its own tables, through that module's API:
 * revisions, chunks and embeddings (ingest), finished ingestion jobs and webhook
 * deliveries past their retention (ingest), per-minute rollups (quality) and
 * segment-store files (search). Every replica drops its own local index directories of
 * deleted versions when told of the deletion. What a run freed goes to
 * {@code brain_gc_freed_total} and one log line.
 * <p>
 * Owns no table. Implementation types live in {@code internal}.
 */
@NonNullApi
package io.brainplane.lifecycle;

import org.springframework.lang.NonNullApi;
