package io.brainplane.backup.internal;

import java.io.IOException;
import java.util.List;

import io.brainplane.index.VersionService;
import io.brainplane.platform.PlatformProperties;
import io.brainplane.quality.EvalSets;
import io.brainplane.search.ScratchIndexes;
import io.brainplane.search.SearchGroup;
import io.brainplane.search.SearchHit;

import org.springframework.stereotype.Component;

/**
 * The evaluation part of a restore drill: with the backup loaded into the scratch schema
 * (and the drill's transaction reading only that), builds a throwaway local index of the
 * backup's active version from the scratch copy's chunks and vectors, and replays the
 * backup's evaluation sets against it through the quality module, the way {@code POST
 * /brain/versions/{v}/evaluate} scores a live version. So a drill shows not only that the
 * rows come back but that the restored brain answers its golden queries.
 */
@Component
class DrillEvaluator {

	private final ScratchIndexes scratch;

	private final EvalSets evalSets;

	private final VersionService versions;

	private final PlatformProperties platform;

	DrillEvaluator(ScratchIndexes scratch, EvalSets evalSets, VersionService versions, PlatformProperties platform) {
		this.scratch = scratch;
		this.evalSets = evalSets;
		this.versions = versions;
		this.platform = platform;
	}

	/**
	 * Replays every evaluation set of the scratch copy against its version
	 * {@code version}. Runs inside the drill's transaction, on the scratch schema.
	 */
	DrillEvaluation evaluate(long version) throws IOException {
		long started = System.nanoTime();
		String recorded = this.versions.get(version).evaluation();
		List<EvalSets.EvalScore> sets = List.of();
		// without any set, no index needs building
		if (this.evalSets.count() > 0) {
			try (ScratchIndexes.ScratchIndex index = this.scratch.build(version,
					this.platform.dataDir().resolve("drills"))) {
				sets = this.evalSets.replayAll(version,
						(q, k) -> index.search(q, k, SearchGroup.DOCUMENT, null)
							.stream()
							.map(SearchHit::documentKey)
							.toList());
			}
		}
		return new DrillEvaluation(version, sets, recorded, (System.nanoTime() - started) / 1e9);
	}

}
