package io.brainplane.index;

import java.util.Optional;

import io.brainplane.index.internal.VersionStore;

import org.springframework.stereotype.Service;

/**
 * Reads a version's row, nothing else: for modules that fill versions (ingest) and so
 * cannot depend on {@link VersionService}, which waits for their work. One primary-key
 * query per call.
 */
@Service
public class VersionLookup {

	private final VersionStore store;

	VersionLookup(VersionStore store) {
		this.store = store;
	}

	/**
	 * The version without its ingestion progress ({@code progress} is null), or empty
	 * when there is no such version.
	 */
	public Optional<IndexVersion> find(long version) {
		return this.store.find(version);
	}

	/**
	 * The model a version's vectors come from; empty when the version is lexical only or
	 * does not exist.
	 */
	public Optional<String> embeddingModel(long version) {
		return this.store.find(version).map(IndexVersion::embeddingModel);
	}

	/**
	 * How many times the version's local index was rebuilt in full on some replica
	 * ({@link VersionService#rebuilt(long)}); 0 when never, or when there is no such
	 * version. A local copy built or fetched before the latest rebuild is stale.
	 */
	public long rebuilds(long version) {
		return this.store.rebuilds(version).orElse(0L);
	}

	/** The numbers of the versions still {@code BUILDING}. */
	public java.util.Set<Long> building() {
		return this.store.building();
	}

}
