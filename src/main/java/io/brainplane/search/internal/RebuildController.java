package io.brainplane.search.internal;

import io.brainplane.index.IndexVersion;
import io.brainplane.index.VersionService;
import io.brainplane.platform.BrainProblem;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /brain/versions/{v}/rebuild}: an operator's full build of a sealed
 * version's local index, for example when an incrementally built index carries many
 * deleted chunks. The replica that answers builds it (and publishes it to the segment
 * store), then counts the rebuild, which tells every other replica to replace its copy
 * (from the store, or by a full build of its own). Searches keep being answered from the
 * old index until the new one is swapped in, on each replica.
 */
@RestController
class RebuildController {

	private final VersionService versions;

	private final LocalIndexes indexes;

	RebuildController(VersionService versions, LocalIndexes indexes) {
		this.versions = versions;
		this.indexes = indexes;
	}

	@PostMapping("/brain/versions/{version}/rebuild")
	LocalIndexes.Rebuilt rebuild(@PathVariable long version) {
		IndexVersion found = this.versions.get(version);
		if (!found.state().sealed() || found.checksum() == null) {
			throw BrainProblem.conflict("version-not-sealed", "version " + version + " is " + found.state()
					+ "; only a sealed version has a local index to rebuild");
		}
		return this.indexes.rebuild(found.ref(), () -> this.versions.rebuilt(version));
	}

}
