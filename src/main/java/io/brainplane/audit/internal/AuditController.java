package io.brainplane.audit.internal;

import java.util.List;

import io.brainplane.platform.BrainProblem;

import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/audit}: the audit trail, newest first, for operators.
 */
@RestController
class AuditController {

	private static final int MAX_LIMIT = 500;

	private final AuditStore store;

	AuditController(AuditStore store) {
		this.store = store;
	}

	@GetMapping("/brain/audit")
	Page audit(@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable Long before,
			@RequestParam(required = false) @Nullable String actor,
			@RequestParam(required = false) @Nullable String action) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw BrainProblem.invalid("limit", "must be between 1 and " + MAX_LIMIT);
		}
		if (before != null && before < 1) {
			throw BrainProblem.invalid("before", "must be a positive entry id");
		}
		List<AuditStore.Row> entries = this.store.page(limit, before, blankToNull(actor), blankToNull(action));
		Long next = (entries.size() == limit) ? entries.get(entries.size() - 1).id() : null;
		return new Page(entries, next);
	}

	@Nullable
	private static String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	/**
	 * A page of the trail.
	 *
	 * @param entries newest first
	 * @param next the {@code before} of the next (older) page; null on the last page
	 */
	record Page(List<AuditStore.Row> entries, @Nullable Long next) {
	}

}
