package io.brainplane.quality.internal;

import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Feedback, metrics windows, evaluation sets and evaluations.
 */
@RestController
@RequestMapping("/brain")
public class QualityController {

	private final FeedbackService feedback;

	private final MetricsService metrics;

	private final EvalService evals;

	QualityController(FeedbackService feedback, MetricsService metrics, EvalService evals) {
		this.feedback = feedback;
		this.metrics = metrics;
		this.evals = evals;
	}

	@PostMapping("/feedback")
	ResponseEntity<Void> feedback(@RequestBody Feedback body) {
		this.feedback.feedback(body.queryId(), body.relevant(), body.documentKey());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/metrics")
	MetricsWindow metrics(@RequestParam(defaultValue = "1h") String window) {
		return this.metrics.window(window);
	}

	@PutMapping("/eval-sets/{name}")
	EvalService.EvalSetSummary putEvalSet(@PathVariable String name, @RequestBody EvalService.EvalSetInput body) {
		return this.evals.save(name, body);
	}

	@PostMapping("/versions/{version}/evaluate")
	Evaluation evaluate(@PathVariable long version, @RequestParam(required = false) @Nullable String set) {
		return this.evals.evaluate(version, set);
	}

	record Feedback(@Nullable String queryId, @Nullable Boolean relevant, @Nullable String documentKey) {
	}

}
