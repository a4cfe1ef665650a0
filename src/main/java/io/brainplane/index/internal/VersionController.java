package io.brainplane.index.internal;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.brainplane.index.Activation;
import io.brainplane.index.ActivationRecord;
import io.brainplane.index.ActivationService;
import io.brainplane.index.Actor;
import io.brainplane.index.IndexVersion;
import io.brainplane.index.RollbackRequest;
import io.brainplane.index.VersionService;

/**
 * The versions API: create, list, read, delete, seal, activate, roll back, diff,
 * activation log.
 */
@RestController
@RequestMapping("/brain")
public class VersionController {

	private final VersionService versions;

	private final ActivationService activations;

	private final DiffService diffs;

	VersionController(VersionService versions, ActivationService activations, DiffService diffs) {
		this.versions = versions;
		this.activations = activations;
		this.diffs = diffs;
	}

	@PostMapping("/versions")
	ResponseEntity<IndexVersion> create(@RequestBody(required = false) @Nullable CreateVersion body) {
		CreateVersion request = (body != null) ? body : new CreateVersion(null, null);
		IndexVersion created = this.versions.create(request.label(), request.base());
		return ResponseEntity.created(URI.create("/brain/versions/" + created.version())).body(created);
	}

	@GetMapping("/versions")
	VersionService.VersionPage list(@RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable Long before) {
		return this.versions.list(limit, before);
	}

	@GetMapping("/versions/{version}")
	IndexVersion get(@PathVariable long version) {
		return this.versions.get(version);
	}

	/**
	 * Deletes a {@code BUILDING} version, or a sealed one that is neither active nor the
	 * rollback target (409 otherwise).
	 */
	@DeleteMapping("/versions/{version}")
	ResponseEntity<Void> delete(@PathVariable long version) {
		this.versions.delete(version);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/versions/{version}/seal")
	IndexVersion seal(@PathVariable long version) {
		return this.versions.seal(version);
	}

	@PostMapping("/versions/{version}/activate")
	Activation activate(@PathVariable long version, @RequestBody(required = false) @Nullable Activate body,
			@Nullable Principal principal) {
		Activate request = (body != null) ? body : new Activate(null, null);
		return this.activations.activate(version, actor(principal), request.reason(),
				Boolean.TRUE.equals(request.force()));
	}

	@PostMapping("/rollback")
	Activation rollback(@RequestBody(required = false) @Nullable Rollback body, @Nullable Principal principal) {
		Rollback request = (body != null) ? body : new Rollback(null, null);
		return this.activations.rollback(RollbackRequest.byOperator(request.to(), actor(principal), request.reason()));
	}

	@GetMapping("/diff")
	Diff diff(@RequestParam long from, @RequestParam long to, @RequestParam(defaultValue = "1000") int limit) {
		return this.diffs.diff(from, to, limit);
	}

	@GetMapping("/activations")
	ActivationLog activations(@RequestParam(defaultValue = "50") int limit) {
		return new ActivationLog(this.activations.recent(limit));
	}

	private static Actor actor(@Nullable Principal principal) {
		return new Actor((principal != null) ? principal.getName() : "anonymous");
	}

	record CreateVersion(@Nullable String label, @Nullable String base) {
	}

	record Activate(@Nullable String reason, @Nullable Boolean force) {
	}

	record Rollback(@Nullable Long to, @Nullable String reason) {
	}

	record ActivationLog(List<ActivationRecord> activations) {
	}

}
