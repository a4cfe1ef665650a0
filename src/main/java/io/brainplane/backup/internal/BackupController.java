package io.brainplane.backup.internal;

import java.util.List;
import java.util.Map;

import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /brain/backups}: take, list, verify, restore and drill backups.
 */
@RestController
public class BackupController {

	private final BackupService backups;

	BackupController(BackupService backups) {
		this.backups = backups;
	}

	@PostMapping("/brain/backups")
	ResponseEntity<Map<String, String>> start() {
		Backup backup = this.backups.start();
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(Map.of("id", backup.id(), "state", backup.state().name()));
	}

	@GetMapping("/brain/backups")
	Map<String, List<Backup>> list() {
		return Map.of("backups", this.backups.list());
	}

	@GetMapping("/brain/backups/{id}")
	Backup get(@PathVariable String id) {
		return this.backups.get(id);
	}

	@PostMapping("/brain/backups/{id}/verify")
	VerifyResult verify(@PathVariable String id) {
		return this.backups.verify(id);
	}

	@PostMapping("/brain/backups/{id}/restore")
	RestoreResult restore(@PathVariable String id, @RequestParam(defaultValue = "false") boolean confirm,
			@RequestParam(defaultValue = "all") String scope, @RequestParam(required = false) String version) {
		RestoreScope restoreScope = switch (scope) {
			case "all" -> RestoreScope.ALL;
			case "index" -> RestoreScope.INDEX;
			case "version" -> RestoreScope.VERSION;
			default -> throw BrainProblem.invalid("scope", "scope must be all, index or version");
		};
		Long number = null;
		if (version != null) {
			try {
				number = Long.parseLong(version.trim());
			}
			catch (NumberFormatException ex) {
				throw BrainProblem.invalid("version", "must be a version number");
			}
		}
		else if (restoreScope == RestoreScope.VERSION) {
			throw BrainProblem.invalid("version",
					"scope=version needs the number of the version to bring back from the backup: version=N");
		}
		if (!confirm) {
			throw BrainProblem.invalid("confirm", (restoreScope == RestoreScope.VERSION)
					? "a restore of scope version adds a new building version; repeat the request with confirm=true"
					: "a restore replaces the brain tables of its scope; repeat the request with confirm=true");
		}
		return this.backups.restore(id, restoreScope, number);
	}

	@PostMapping("/brain/backups/{id}/drill")
	DrillResult drill(@PathVariable String id) {
		return this.backups.drill(id);
	}

}
