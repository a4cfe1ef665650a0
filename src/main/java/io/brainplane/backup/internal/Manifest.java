package io.brainplane.backup.internal;

import java.time.Instant;
import java.util.List;

import org.springframework.lang.Nullable;

/**
 * {@code manifest.json}: what a backup holds. Files are listed in restore order (parents
 * before the tables referencing them).
 *
 * @param schemaVersion the Flyway version of the schema the backup was taken from
 * @param encryption how the data files are encrypted; {@code null} when they are not
 */
public record Manifest(String id, Instant startedAt, Instant finishedAt, String applicationVersion,
		String schemaVersion, @Nullable Long activeVersion, List<TableFile> files, List<SequenceValue> sequences,
		@Nullable Encryption encryption) {

	public long rows() {
		return this.files.stream().mapToLong(TableFile::rows).sum();
	}

	public long sizeBytes() {
		return this.files.stream().mapToLong(TableFile::sizeBytes).sum();
	}

	/**
	 * The encryption of the data files: the algorithm and the id of the key (a hash,
	 * never the key).
	 */
	public record Encryption(String algorithm, String keyId) {
	}

	/**
	 * One table's rows in {@code COPY} text format, gzip-compressed (then encrypted, when
	 * the backup is).
	 *
	 * @param sizeBytes size of the stored file
	 * @param sha256 hex SHA-256 of the stored file
	 */
	public record TableFile(String table, String file, List<String> columns, long rows, long sizeBytes, String sha256) {
	}

	/** A sequence's position, restored with {@code ALTER SEQUENCE ... RESTART}. */
	public record SequenceValue(String name, long value, boolean called) {
	}

}
