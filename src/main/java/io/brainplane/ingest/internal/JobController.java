package io.brainplane.ingest.internal;

import java.util.List;

import io.brainplane.index.IngestProgress;
import io.brainplane.index.VersionService;
import io.brainplane.index.VersionState;
import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A version's ingestion jobs: {@code GET /brain/versions/{v}/jobs} and {@code POST
 * /brain/versions/{v}/jobs/retry} (queues failed jobs again).
 */
@RestController
@RequestMapping("/brain/versions/{version}/jobs")
public class JobController {

	private final IngestJobs jobs;

	private final VersionService versions;

	private final IngestWorkers workers;

	JobController(IngestJobs jobs, VersionService versions, IngestWorkers workers) {
		this.jobs = jobs;
		this.versions = versions;
		this.workers = workers;
	}

	@GetMapping
	Jobs list(@PathVariable long version, @RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > 1000) {
			throw BrainProblem.invalid("limit", "must be between 1 and 1000");
		}
		IngestProgress progress = this.versions.get(version).progress();
		return new Jobs(version, progress, this.jobs.list(version, limit));
	}

	@PostMapping("/retry")
	ResponseEntity<Retried> retry(@PathVariable long version) {
		VersionState state = this.versions.get(version).state();
		if (state != VersionState.BUILDING) {
			throw BrainProblem.conflict("version-not-building",
					"version " + version + " is " + state + "; only a BUILDING version has jobs to retry");
		}
		int queued = this.workers.retryFailed(version);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Retried(version, queued));
	}

	record Jobs(long version, IngestProgress progress, List<IngestJobs.JobView> jobs) {
	}

	record Retried(long version, int queued) {
	}

}
