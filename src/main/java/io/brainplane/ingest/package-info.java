/**
 * Ingestion: documents into a building version. Each document is stored once per distinct
 * content as a content-addressed revision (key + SHA-256), cut into overlapping chunks on
 * paragraph and sentence boundaries, and pointed at from the version's membership. Also
 * streams a version's chunks to whoever builds a local index.
 * <p>
 * Owns the tables {@code document_revision}, {@code chunk}, {@code chunk_embedding},
 * {@code ingest_job} and {@code webhook_delivery}. Implementation types live in
 * {@code internal}; the root package is the module's API.
 */
@NonNullApi
package io.brainplane.ingest;

import org.springframework.lang.NonNullApi;
