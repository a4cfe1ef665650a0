package io.brainplane.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Recomputes every file's SHA-256, size and row count (decrypting and decompressing it)
 * and compares them with the manifest. A missing file, one that does not decrypt or
 * decompress, or any mismatch is a problem; no problems is a good backup. A backup whose
 * manifest the store does not have, or a store that cannot be read, is
 * {@code unavailable here}: not a verdict on the backup.
 */
@Component
public class Verifier {

	private final BackupArchive archive;

	private final BackupKeys keys;

	Verifier(BackupArchive archive, BackupKeys keys) {
		this.archive = archive;
		this.keys = keys;
	}

	/** The outcome: problems found, or the backup cannot be read from here at all. */
	record Check(List<String> problems, boolean unavailable) {

		boolean ok() {
			return !this.unavailable && this.problems.isEmpty();
		}

	}

	Check check(String id) {
		Optional<Manifest> manifest;
		try {
			manifest = this.archive.manifest(id);
		}
		catch (NoSuchFileException ex) {
			manifest = Optional.empty();
		}
		catch (com.fasterxml.jackson.core.JacksonException ex) {
			return new Check(List.of("manifest.json is unreadable"), false);
		}
		catch (IOException ex) {
			return unavailable("the backup store " + this.archive.location() + " cannot be read ("
					+ ex.getClass().getSimpleName() + ")");
		}
		if (manifest.isEmpty()) {
			return unavailable("the backup store " + this.archive.location()
					+ " does not hold this backup (a filesystem store is local to the replica that wrote it)");
		}
		return check(manifest.get());
	}

	Check check(Manifest manifest) {
		BackupCipher.Key key = key(manifest);
		List<String> problems = new ArrayList<>();
		for (Manifest.TableFile file : manifest.files()) {
			try (InputStream stored = this.archive.open(manifest.id(), file.file())) {
				BackupFiles.Scan scan = BackupFiles.scan(stored, key);
				if (scan.size() != file.sizeBytes()) {
					problems.add(file.file() + ": size " + scan.size() + " bytes, manifest says " + file.sizeBytes());
				}
				if (!scan.sha256().equals(file.sha256())) {
					problems.add(file.file() + ": SHA-256 does not match the manifest");
				}
				if (scan.rows() != file.rows()) {
					problems.add(file.file() + ": " + scan.rows() + " rows, manifest says " + file.rows());
				}
			}
			catch (NoSuchFileException ex) {
				problems.add(file.file() + ": missing");
			}
			catch (BackupCipher.Unreadable ex) {
				problems.add(file.file() + ": " + ex.getMessage());
			}
			catch (IOException ex) {
				problems.add(file.file() + ": unreadable gzip (" + ex.getClass().getSimpleName() + ")");
			}
		}
		return new Check(problems, false);
	}

	/**
	 * The key the backup's files need, {@code null} if they are not encrypted.
	 * @throws BrainProblem 422 when that key is not configured: nothing is read or
	 * changed
	 */
	@Nullable
	BackupCipher.Key key(Manifest manifest) {
		if (manifest.encryption() == null) {
			return null;
		}
		String keyId = manifest.encryption().keyId();
		return this.keys.find(keyId)
			.orElseThrow(() -> new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "backup-key-missing",
					"Encryption key not configured",
					"backup " + manifest.id() + " is encrypted with key " + keyId
							+ ", which is neither brain.backup.encryption-key nor one of "
							+ "brain.backup.previous-encryption-keys; nothing was read or changed"));
	}

	private static Check unavailable(String why) {
		return new Check(List.of("unavailable here: " + why), true);
	}

}
