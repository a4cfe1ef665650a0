package io.brainplane.backup.internal;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.brainplane.quality.EvalSets;

import org.springframework.lang.Nullable;

/**
 * What a drill's evaluation found.
 *
 * @param version the backup's active version, evaluated in the scratch copy
 * @param sets the backup's evaluation sets, each scored against the scratch copy
 * ({@code set, version, k, queries, hitRate, mrr, recall}, as {@code POST
 * /brain/versions/{v}/evaluate} answers)
 * @param recorded the last evaluation the backup recorded on the version, for comparison;
 * absent when it was never evaluated
 * @param seconds how long the evaluation took (index build and queries)
 */
public record DrillEvaluation(long version, List<EvalSets.EvalScore> sets,
		@JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue @Nullable String recorded, double seconds) {
}
