package io.brainplane.backup.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Recomputes every file's SHA-256, size and row count and compares them with the
 * manifest. A missing file, an unreadable gzip or any mismatch is a problem; no problems
 * is a good backup.
 */
@Component
public class Verifier {

	private final BackupDirectory directory;

	Verifier(BackupDirectory directory) {
		this.directory = directory;
	}

	List<String> problems(String id) {
		Optional<Manifest> manifest;
		try {
			manifest = this.directory.manifest(id);
		}
		catch (IOException ex) {
			return List.of("manifest.json is unreadable");
		}
		if (manifest.isEmpty()) {
			return List.of("manifest.json is missing");
		}
		return problems(this.directory.of(id), manifest.get());
	}

	static List<String> problems(Path dir, Manifest manifest) {
		List<String> problems = new ArrayList<>();
		for (Manifest.TableFile file : manifest.files()) {
			Path path = dir.resolve(file.file()).normalize();
			if (!path.startsWith(dir) || !Files.isRegularFile(path)) {
				problems.add(file.file() + ": missing");
				continue;
			}
			try {
				long size = Files.size(path);
				if (size != file.sizeBytes()) {
					problems.add(file.file() + ": size " + size + " bytes, manifest says " + file.sizeBytes());
				}
				BackupFiles.Scan scan = BackupFiles.scan(path);
				if (!scan.sha256().equals(file.sha256())) {
					problems.add(file.file() + ": SHA-256 does not match the manifest");
				}
				if (scan.rows() != file.rows()) {
					problems.add(file.file() + ": " + scan.rows() + " rows, manifest says " + file.rows());
				}
			}
			catch (IOException ex) {
				problems.add(file.file() + ": unreadable gzip (" + ex.getClass().getSimpleName() + ")");
			}
		}
		return problems;
	}

}
