package io.brainplane.backup.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.platform.PlatformProperties;

import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Where backups live on disk: {@code
 *
<dir>
 * /<id>/} with the table files and {@code manifest.json}, which is written last and
 * atomically, so a directory without it is an incomplete backup.
 */
@Component
public class BackupDirectory {

	static final String MANIFEST = "manifest.json";

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

	private final Path root;

	private final ObjectMapper json;

	BackupDirectory(BackupProperties properties, PlatformProperties platform, ObjectMapper json) {
		this.root = ((properties.dir() != null) ? properties.dir() : platform.dataDir().resolve("backups"))
			.toAbsolutePath()
			.normalize();
		this.json = json;
	}

	static boolean validId(String id) {
		return ID.matcher(id).matches() && !id.contains("..");
	}

	public Path root() {
		return this.root;
	}

	public Path of(String id) {
		if (!validId(id)) {
			throw new IllegalArgumentException("invalid backup id");
		}
		return this.root.resolve(id);
	}

	Path create(String id) throws IOException {
		return Files.createDirectories(of(id));
	}

	void writeManifest(Path dir, Manifest manifest) throws IOException {
		Path temp = dir.resolve(MANIFEST + ".tmp");
		this.json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), manifest);
		Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/** The manifest, or empty when the backup has none (missing or incomplete). */
	Optional<Manifest> manifest(String id) throws IOException {
		if (!validId(id)) {
			return Optional.empty();
		}
		Path file = of(id).resolve(MANIFEST);
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		return Optional.of(this.json.readValue(file.toFile(), Manifest.class));
	}

	void delete(String id) throws IOException {
		if (validId(id)) {
			FileSystemUtils.deleteRecursively(of(id));
		}
	}

}
