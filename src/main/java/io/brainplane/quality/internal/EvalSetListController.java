package io.brainplane.quality.internal;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/eval-sets}: the stored evaluation sets by name, with their size, so a
 * client can offer them for an evaluation.
 */
@RestController
class EvalSetListController {

	private final JdbcClient jdbc;

	EvalSetListController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/brain/eval-sets")
	EvalSets list() {
		return new EvalSets(this.jdbc
			.sql("select name, k, jsonb_array_length(queries), updated_at from eval_set order by name limit 1000")
			.query((rs, row) -> new EvalSet(rs.getString(1), rs.getInt(2), rs.getInt(3),
					rs.getTimestamp(4).toInstant()))
			.list());
	}

	/** The body: every set by name (at most 1000). */
	record EvalSets(List<EvalSet> evalSets) {
	}

	/** One set: its name, its k and how many queries it holds. */
	record EvalSet(String name, int k, int queries, Instant updatedAt) {
	}

}
