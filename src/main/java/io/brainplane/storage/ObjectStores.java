package io.brainplane.storage;

import java.nio.file.Path;

import io.brainplane.storage.internal.FileSystemObjectStore;
import io.brainplane.storage.internal.S3ObjectStore;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Opens object stores: a directory on this machine, or a namespace of the configured S3
 * bucket ({@code s3://<bucket>/<prefix><namespace>}). The S3 client is created on first
 * use, so replicas that store nothing on S3 need no bucket or credentials.
 */
@Component
public class ObjectStores implements DisposableBean {

	private static final long MIN_PART_SIZE = DataSize.ofMegabytes(5).toBytes();

	private final StorageProperties.S3 s3;

	private S3Client client;

	public ObjectStores(StorageProperties properties) {
		this.s3 = properties.s3();
	}

	/**
	 * A store of files under a local directory, created when missing.
	 * @param root the directory
	 * @return the store
	 */
	public ObjectStore filesystem(Path root) {
		return new FileSystemObjectStore(root);
	}

	/**
	 * A store under {@code <prefix><namespace>} of the configured bucket.
	 * @param namespace the part of the keys that belongs to the caller, such as
	 * {@code backups/}
	 * @return the store
	 * @throws IllegalStateException if no bucket is configured
	 */
	public ObjectStore s3(String namespace) {
		if (this.s3.bucket() == null || this.s3.bucket().isBlank()) {
			throw new IllegalStateException("brain.storage.s3.bucket must be set to store on s3");
		}
		if (this.s3.partSize().toBytes() < MIN_PART_SIZE) {
			throw new IllegalStateException("brain.storage.s3.part-size must be at least 5MB");
		}
		return new S3ObjectStore(client(), this.s3.bucket(), this.s3.normalizedPrefix() + namespace,
				(int) Math.min(this.s3.partSize().toBytes(), Integer.MAX_VALUE - 8));
	}

	private synchronized S3Client client() {
		if (this.client == null) {
			this.client = S3ObjectStore.client(this.s3.endpoint(), this.s3.region(), this.s3.pathStyle());
		}
		return this.client;
	}

	@Override
	public synchronized void destroy() {
		if (this.client != null) {
			this.client.close();
		}
	}

}
