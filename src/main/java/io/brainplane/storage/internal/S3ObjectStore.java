package io.brainplane.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.brainplane.storage.ObjectInfo;
import io.brainplane.storage.ObjectStore;
import io.brainplane.storage.Upload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects under a prefix of an S3 bucket. An upload holds one part (by default 8 MB) at a
 * time: content that fits in one part is a single {@code PutObject}; longer content is a
 * multipart upload, aborted when anything fails, so no object appears under the key.
 */
public final class S3ObjectStore implements ObjectStore {

	private static final Logger logger = LoggerFactory.getLogger(S3ObjectStore.class);

	private final S3Client client;

	private final String bucket;

	private final String prefix;

	private final int partSize;

	public S3ObjectStore(S3Client client, String bucket, String prefix, int partSize) {
		this.client = client;
		this.bucket = bucket;
		this.prefix = Keys.checkPrefix(prefix);
		this.partSize = partSize;
	}

	/**
	 * A client for the endpoint, credentials from the SDK's default chain. Checksums are
	 * sent and checked only where S3 requires them: S3-compatible servers differ in which
	 * of the newer checksum headers they understand, and every caller checks its own
	 * content (backups carry SHA-256 digests).
	 * @param endpoint the endpoint, or {@code null} for AWS
	 * @param region the region
	 * @param pathStyle whether to use path-style addressing
	 * @return the client
	 */
	public static S3Client client(URI endpoint, String region, boolean pathStyle) {
		S3ClientBuilder builder = S3Client.builder()
			.region(Region.of(region))
			.forcePathStyle(pathStyle)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		if (endpoint != null) {
			builder.endpointOverride(endpoint);
		}
		return builder.build();
	}

	@Override
	public Upload upload(String key) {
		return new S3Upload(key, objectKey(key));
	}

	/**
	 * Fills one part at a time: a single {@code PutObject} when everything fits in one,
	 * otherwise a multipart upload, completed on commit and aborted on close.
	 */
	private final class S3Upload extends Upload {

		private final String key;

		private final String objectKey;

		private final byte[] part = new byte[S3ObjectStore.this.partSize];

		private final List<CompletedPart> parts = new ArrayList<>();

		private int length;

		private String uploadId;

		private boolean finished;

		S3Upload(String key, String objectKey) {
			this.key = key;
			this.objectKey = objectKey;
		}

		@Override
		public void write(int b) throws IOException {
			if (this.length == this.part.length) {
				uploadPart();
			}
			this.part[this.length++] = (byte) b;
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			while (len > 0) {
				if (this.length == this.part.length) {
					uploadPart();
				}
				int n = Math.min(len, this.part.length - this.length);
				System.arraycopy(b, off, this.part, this.length, n);
				this.length += n;
				off += n;
				len -= n;
			}
		}

		private void uploadPart() throws IOException {
			checkOpen();
			try {
				if (this.uploadId == null) {
					this.uploadId = S3ObjectStore.this.client
						.createMultipartUpload(
								(request) -> request.bucket(S3ObjectStore.this.bucket).key(this.objectKey))
						.uploadId();
				}
				int number = this.parts.size() + 1;
				String etag = S3ObjectStore.this.client
					.uploadPart((request) -> request.bucket(S3ObjectStore.this.bucket)
						.key(this.objectKey)
						.uploadId(this.uploadId)
						.partNumber(number), body(this.part, this.length))
					.eTag();
				this.parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
				this.length = 0;
			}
			catch (SdkException ex) {
				throw failure("put", this.key, ex);
			}
		}

		@Override
		public ObjectInfo commit() throws IOException {
			checkOpen();
			try {
				if (this.uploadId == null) {
					S3ObjectStore.this.client.putObject(
							(request) -> request.bucket(S3ObjectStore.this.bucket).key(this.objectKey),
							body(this.part, this.length));
				}
				else {
					if (this.length > 0) {
						uploadPart();
					}
					S3ObjectStore.this.client
						.completeMultipartUpload((request) -> request.bucket(S3ObjectStore.this.bucket)
							.key(this.objectKey)
							.uploadId(this.uploadId)
							.multipartUpload(CompletedMultipartUpload.builder().parts(this.parts).build()));
				}
			}
			catch (SdkException ex) {
				throw failure("put", this.key, ex);
			}
			this.finished = true;
			return head(this.key)
				.orElseThrow(() -> new NoSuchFileException(this.key, null, "missing right after it was put"));
		}

		private void checkOpen() {
			if (this.finished) {
				throw new IllegalStateException("upload of " + this.key + " already finished");
			}
		}

		@Override
		public void close() {
			if (!this.finished) {
				this.finished = true;
				if (this.uploadId != null) {
					abort(this.objectKey, this.uploadId);
				}
			}
		}

	}

	private void abort(String objectKey, String uploadId) {
		try {
			this.client
				.abortMultipartUpload((request) -> request.bucket(this.bucket).key(objectKey).uploadId(uploadId));
		}
		catch (SdkException ex) {
			// the bucket's lifecycle rule for incomplete uploads cleans up what is left
			logger.warn("Could not abort the multipart upload of {}: {}", objectKey, ex.getMessage());
		}
	}

	/**
	 * A copy of the part: the SDK may read it again on a retry, after the buffer moved
	 * on.
	 */
	private static RequestBody body(byte[] buffer, int length) {
		return RequestBody.fromByteBuffer(ByteBuffer.wrap(buffer, 0, length));
	}

	@Override
	public InputStream get(String key) throws IOException {
		try {
			return this.client.getObject((request) -> request.bucket(this.bucket).key(objectKey(key)));
		}
		catch (NoSuchKeyException ex) {
			throw new NoSuchFileException(key);
		}
		catch (SdkException ex) {
			throw failure("get", key, ex);
		}
	}

	@Override
	public Optional<ObjectInfo> head(String key) throws IOException {
		try {
			HeadObjectResponse response = this.client
				.headObject((request) -> request.bucket(this.bucket).key(objectKey(key)));
			return Optional.of(new ObjectInfo(key, response.contentLength(), response.lastModified()));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw failure("head", key, ex);
		}
		catch (SdkException ex) {
			throw failure("head", key, ex);
		}
	}

	@Override
	public List<ObjectInfo> list(String prefix) throws IOException {
		Keys.checkPrefix(prefix);
		try {
			List<ObjectInfo> objects = new ArrayList<>();
			for (S3Object object : this.client
				.listObjectsV2Paginator((request) -> request.bucket(this.bucket).prefix(this.prefix + prefix))
				.contents()) {
				objects.add(new ObjectInfo(object.key().substring(this.prefix.length()), object.size(),
						object.lastModified()));
			}
			return objects;
		}
		catch (SdkException ex) {
			throw failure("list", prefix, ex);
		}
	}

	@Override
	public void delete(String key) throws IOException {
		try {
			this.client.deleteObject((request) -> request.bucket(this.bucket).key(objectKey(key)));
		}
		catch (SdkException ex) {
			throw failure("delete", key, ex);
		}
	}

	@Override
	public String location() {
		return "s3://" + this.bucket + "/" + this.prefix;
	}

	private String objectKey(String key) {
		return this.prefix + Keys.check(key);
	}

	private IOException failure(String operation, String key, SdkException ex) {
		return new IOException("S3 " + operation + " of " + location() + key + " failed: " + ex.getMessage(), ex);
	}

}
