package io.brainplane.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * Objects under keys: {@code /}-separated relative paths such as
 * {@code backups/2026-01-01T030000Z/manifest.json}. An object appears whole or not at
 * all: a put that fails leaves nothing under its key (and a previous object under the
 * same key unchanged on the filesystem; S3 replaces objects atomically too). Every
 * failure, including the store being unreachable, is an {@link IOException}; a missing
 * object is a {@link NoSuchFileException}.
 */
public interface ObjectStore {

	/**
	 * Starts writing an object as a stream: at most one upload part is held in memory.
	 * The object appears on {@link Upload#commit()}, whole, and not at all if the upload
	 * is closed without a commit.
	 * @param key the key
	 * @return the upload
	 * @throws IOException if the upload cannot be started
	 */
	Upload upload(String key) throws IOException;

	/**
	 * Stores the stream's content under the key, streamed. The stream is read to its end
	 * but not closed.
	 * @param key the key
	 * @param content the content
	 * @return the stored object
	 * @throws IOException if reading the content or writing the object failed; then no
	 * object is left under the key
	 */
	default ObjectInfo put(String key, InputStream content) throws IOException {
		try (Upload upload = upload(key)) {
			content.transferTo(upload);
			return upload.commit();
		}
	}

	/**
	 * Opens the object for reading. The caller closes the stream.
	 * @param key the key
	 * @return the content
	 * @throws NoSuchFileException if there is no such object
	 * @throws IOException if the store cannot be read
	 */
	InputStream get(String key) throws IOException;

	/**
	 * The object under the key, if there is one.
	 * @param key the key
	 * @return the object, or empty
	 * @throws IOException if the store cannot be read
	 */
	Optional<ObjectInfo> head(String key) throws IOException;

	/**
	 * Whether an object exists under the key.
	 * @param key the key
	 * @return whether it exists
	 * @throws IOException if the store cannot be read
	 */
	default boolean exists(String key) throws IOException {
		return head(key).isPresent();
	}

	/**
	 * Every object whose key starts with the prefix, sorted by key.
	 * @param prefix the prefix, {@code ""} for all
	 * @return the objects
	 * @throws IOException if the store cannot be read
	 */
	List<ObjectInfo> list(String prefix) throws IOException;

	/**
	 * Deletes the object; deleting a missing object is not an error.
	 * @param key the key
	 * @throws IOException if the store cannot be written
	 */
	void delete(String key) throws IOException;

	/**
	 * Deletes every object whose key starts with the prefix.
	 * @param prefix the prefix; must not be empty
	 * @return how many objects were deleted
	 * @throws IOException if the store cannot be written
	 */
	default int deleteAll(String prefix) throws IOException {
		if (prefix.isEmpty()) {
			throw new IllegalArgumentException("deleteAll needs a prefix");
		}
		List<ObjectInfo> objects = list(prefix);
		for (ObjectInfo object : objects) {
			delete(object.key());
		}
		return objects.size();
	}

	/**
	 * Where the objects are, for logs and messages, such as {@code s3://bucket/prefix/}
	 * or {@code file:/var/lib/brainplane/backups/}. Never contains credentials.
	 * @return the location
	 */
	String location();

}
