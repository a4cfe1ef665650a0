package io.brainplane.index;

/**
 * Identity of a sealed version's content: its number and checksum. A local index built
 * for a ref never needs rebuilding, whatever happens to version numbers (e.g. after a
 * restore).
 */
public record VersionRef(long version, String checksum) {

	/** A short, file-name-safe name for the local index directory. */
	public String directoryName() {
		return "v" + this.version + "-" + this.checksum.substring(0, Math.min(16, this.checksum.length()));
	}

}
