package io.brainplane.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written, as a stream. Nothing appears under the key until
 * {@link #commit()}; closing an upload that was not committed (for example when the
 * writer failed half-way and try-with-resources closes it) abandons it and leaves no
 * object behind.
 *
 * <pre class="code">
 * try (Upload upload = store.upload("backups/b1/chunk.tsv.gz")) {
 * 	write(upload);
 * 	upload.commit();
 * }
 * </pre>
 */
public abstract class Upload extends OutputStream {

	/**
	 * Completes the upload: the object appears whole under its key.
	 * @return the stored object
	 * @throws IOException if the object could not be completed; then none is left
	 */
	public abstract ObjectInfo commit() throws IOException;

	/** Abandons the upload unless it was committed. */
	@Override
	public abstract void close() throws IOException;

}
