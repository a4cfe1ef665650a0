package io.brainplane.backup.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.platform.PlatformProperties;
import io.brainplane.storage.ObjectInfo;
import io.brainplane.storage.ObjectStore;
import io.brainplane.storage.ObjectStores;
import io.brainplane.storage.Upload;

import org.springframework.stereotype.Component;

/**
 * Where backups live: {@code <id>/} in the backup store with the data files, a
 * {@code SHA256SUMS} file ({@code sha256sum -c} checks a copy by hand) and
 * {@code manifest.json}, written last, so a backup without it is incomplete and never
 * listed. The store holds everything a restore needs; the {@code brain_backup} table is a
 * cache of it.
 */
@Component
public class BackupArchive {

	static final String MANIFEST = "manifest.json";

	static final String CHECKSUMS = "SHA256SUMS";

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

	private final ObjectStore store;

	private final ObjectMapper json;

	BackupArchive(BackupProperties properties, PlatformProperties platform, ObjectStores stores, ObjectMapper json) {
		this.store = switch (properties.store()) {
			case S3 -> stores.s3("backups/");
			case FILESYSTEM -> stores
				.filesystem((properties.dir() != null) ? properties.dir() : platform.dataDir().resolve("backups"));
		};
		this.json = json;
	}

	static boolean validId(String id) {
		return ID.matcher(id).matches() && !id.contains("..");
	}

	/** Where the backups are, for messages: never credentials. */
	String location() {
		return this.store.location();
	}

	Upload upload(String id, String file) throws IOException {
		return this.store.upload(key(id, file));
	}

	/** Opens a file of a backup; {@link NoSuchFileException} if it is not there. */
	InputStream open(String id, String file) throws IOException {
		return this.store.get(key(id, file));
	}

	Optional<ObjectInfo> head(String id, String file) throws IOException {
		return this.store.head(key(id, file));
	}

	/** Writes the checksums, then the manifest: the backup is complete from then on. */
	void complete(Manifest manifest) throws IOException {
		StringBuilder sums = new StringBuilder();
		for (Manifest.TableFile file : manifest.files()) {
			sums.append(file.sha256()).append("  ").append(file.file()).append('\n');
		}
		this.store.put(key(manifest.id(), CHECKSUMS),
				new ByteArrayInputStream(sums.toString().getBytes(StandardCharsets.UTF_8)));
		this.store.put(key(manifest.id(), MANIFEST),
				new ByteArrayInputStream(this.json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest)));
	}

	/** The manifest, or empty when the store has none for that id. */
	Optional<Manifest> manifest(String id) throws IOException {
		if (!validId(id)) {
			return Optional.empty();
		}
		try (InputStream in = this.store.get(key(id, MANIFEST))) {
			return Optional.of(this.json.readValue(in, Manifest.class));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	/** The ids of the complete backups in the store. */
	List<String> ids() throws IOException {
		return this.store.list("")
			.stream()
			.map(ObjectInfo::key)
			.filter((key) -> key.endsWith("/" + MANIFEST) && key.indexOf('/') == key.lastIndexOf('/'))
			.map((key) -> key.substring(0, key.indexOf('/')))
			.filter(BackupArchive::validId)
			.toList();
	}

	/** Deletes the manifest first, so that a half-deleted backup is never listed. */
	void delete(String id) throws IOException {
		if (validId(id)) {
			this.store.delete(key(id, MANIFEST));
			this.store.deleteAll(id + "/");
		}
	}

	private static String key(String id, String file) {
		if (!validId(id)) {
			throw new IllegalArgumentException("invalid backup id");
		}
		return id + "/" + file;
	}

}
