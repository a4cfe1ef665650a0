/**
 * Ingestion: documents into a building version. Each document is stored once per distinct
 * content as a content-addressed revision (key + SHA-256), cut into overlapping chunks on
 * paragraph and sentence boundaries, and pointed at from the version's membership. Also
 * streams a version's chunks to whoever builds a local index.
 */
@NonNullApi
package io.brainplane.ingest;

import org.springframework.lang.NonNullApi;
