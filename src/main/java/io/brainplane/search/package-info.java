/**
 * Search: this replica's local Lucene indexes, one per sealed version, built by streaming
 * the version's chunks from PostgreSQL, kept open so that switching versions is a
 * reference swap; BM25 queries and a bounded result cache keyed by version. The request
 * path does no database I/O.
 * <p>
 * Owns no table: its data are the local Lucene indexes on this replica's disk.
 * Implementation types live in {@code internal}; the root package is the module's API.
 */
@NonNullApi
package io.brainplane.search;

import org.springframework.lang.NonNullApi;
