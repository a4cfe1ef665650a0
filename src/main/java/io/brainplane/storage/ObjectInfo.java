package io.brainplane.storage;

import java.time.Instant;

/**
 * An object in an {@link ObjectStore}.
 *
 * @param key the key, relative to the store
 * @param size the size in bytes
 * @param lastModified when the object was written
 */
public record ObjectInfo(String key, long size, Instant lastModified) {

}
