package io.brainplane.backup.internal;

/** What a restore replaces. */
public enum RestoreScope {

	/** Every brain table. */
	ALL,

	/**
	 * Versions, membership, documents, chunks and embeddings; search records, feedback,
	 * metrics and the other {@link Restorer#TELEMETRY} tables stay as they are.
	 */
	INDEX,

	/**
	 * One version of the backup, brought back as a new {@code BUILDING} version with its
	 * documents, chunks and vectors; nothing else changes.
	 */
	VERSION

}
