package io.brainplane.index;

import java.util.List;

import org.springframework.lang.Nullable;

/**
 * What a version holds, as far as the index module needs to know it: implemented by the
 * module that owns documents and membership (ingest), so that this module never reads
 * another module's tables. Every method is one query (or one statement) in the caller's
 * transaction when there is one; none loads a version's documents into memory.
 */
public interface VersionContents {

	/**
	 * Gives a new version the same documents as its parent (the membership rows, never
	 * the documents: structural sharing). Runs in the caller's transaction.
	 */
	void copy(long parent, long version);

	/**
	 * Counts and checksum of a version's membership, reading every member: the checksum
	 * is the sum, modulo 2<sup>256</sup>, of SHA-256 over each member's
	 * {@code key:content hash} (64 hex digits), so two versions with the same documents
	 * have the same one, whatever order or history brought them there.
	 * @param embeddingModel the version's model, or null when it is lexical
	 */
	Summary summarize(long version, @Nullable String embeddingModel);

	/**
	 * The same summary as {@link #summarize}, derived from a sealed base's (whose
	 * membership never changes again) and the documents the version added, replaced or
	 * removed since: the work is the change's (plus one index scan of each membership to
	 * find it), not the version's. The base's checksum must be of the same definition.
	 */
	Summary summarizeChange(long base, Summary baseSummary, long version, @Nullable String embeddingModel);

	/**
	 * How many documents two versions' memberships differ by.
	 */
	DiffCounts diffCounts(long from, long to);

	/**
	 * The first {@code limit} document keys (in key order) of one kind of difference.
	 */
	List<String> diffKeys(long from, long to, DiffKind kind, int limit);

	/**
	 * A version's contents.
	 *
	 * @param dimension the dimension of the model's vectors, null when the version is
	 * lexical or none is stored yet
	 */
	record Summary(int documents, long chunks, String checksum, @Nullable Integer dimension) {
	}

	/**
	 * Document counts of a diff from one version to another.
	 */
	record DiffCounts(long added, long removed, long changed, long unchanged) {
	}

	/**
	 * A kind of difference between two versions.
	 */
	enum DiffKind {

		/** In the second version only. */
		ADDED,
		/** In the first version only. */
		REMOVED,
		/** In both, with different revisions. */
		CHANGED

	}

}
