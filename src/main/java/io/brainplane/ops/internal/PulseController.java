package io.brainplane.ops.internal;

import java.util.List;
import java.util.Map;

import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/pulses} (newest first) and {@code POST /brain/pulses} (run one now).
 */
@RestController
public class PulseController {

	private final PulseService pulses;

	PulseController(PulseService pulses) {
		this.pulses = pulses;
	}

	@GetMapping("/brain/pulses")
	Map<String, List<Pulse>> list(@RequestParam(defaultValue = "20") int limit) {
		if (limit < 1 || limit > 500) {
			throw BrainProblem.invalid("limit", "must be between 1 and 500");
		}
		return Map.of("pulses", this.pulses.recent(limit));
	}

	@PostMapping("/brain/pulses")
	ResponseEntity<Pulse> run() {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.pulses.manual());
	}

}
