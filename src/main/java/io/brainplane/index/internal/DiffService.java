package io.brainplane.index.internal;

import java.util.List;

import io.brainplane.index.VersionContents;
import io.brainplane.index.VersionContents.DiffKind;
import io.brainplane.index.VersionService;
import io.brainplane.platform.BrainProblem;

import org.springframework.stereotype.Service;

/**
 * Diffs two versions as set differences over their membership (held by the ingest module,
 * asked through {@link VersionContents}); no document is read.
 */
@Service
public class DiffService {

	private final VersionContents contents;

	private final VersionService versions;

	DiffService(VersionContents contents, VersionService versions) {
		this.contents = contents;
		this.versions = versions;
	}

	public Diff diff(long from, long to, int limit) {
		if (limit < 0 || limit > 100_000) {
			throw BrainProblem.invalid("limit", "must be between 0 and 100000");
		}
		this.versions.get(from);
		this.versions.get(to);
		VersionContents.DiffCounts counts = this.contents.diffCounts(from, to);
		return new Diff(from, to, new Diff.Keys(counts.added(), keys(from, to, DiffKind.ADDED, limit)),
				new Diff.Keys(counts.removed(), keys(from, to, DiffKind.REMOVED, limit)),
				new Diff.Keys(counts.changed(), keys(from, to, DiffKind.CHANGED, limit)),
				new Diff.Count(counts.unchanged()));
	}

	private List<String> keys(long from, long to, DiffKind kind, int limit) {
		return (limit == 0) ? List.of() : this.contents.diffKeys(from, to, kind, limit);
	}

}
