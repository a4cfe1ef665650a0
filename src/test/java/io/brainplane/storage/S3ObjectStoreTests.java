package io.brainplane.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.brainplane.support.S3Server;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The S3 store against S3Proxy, a real S3 server, over HTTP with SigV4. */
class S3ObjectStoreTests extends ObjectStoreContract {

	private static S3Server server;

	private static ObjectStores stores;

	private final String namespace = "contract-" + UUID.randomUUID() + "/";

	private final ObjectStore store = stores.s3(this.namespace);

	@BeforeAll
	static void startServer() {
		server = S3Server.start();
		stores = stores(server);
	}

	@AfterAll
	static void stopServer() {
		stores.destroy();
		server.close();
	}

	static ObjectStores stores(S3Server server) {
		return new ObjectStores(new StorageProperties(new StorageProperties.S3(server.endpoint(), "us-east-1",
				S3Server.BUCKET, "brainplane/", true, DataSize.ofMegabytes(5))));
	}

	@Override
	ObjectStore store() {
		return this.store;
	}

	@Override
	void assertUploadedInParts(String key, int parts) {
		String etag = server.blobStore().blobMetadata(S3Server.BUCKET, "brainplane/" + this.namespace + key).getETag();
		assertThat(etag).endsWith("-" + parts + "\"");
	}

	@Override
	void assertNoUploadsInProgress() {
		assertThat(server.blobStore().listMultipartUploads(S3Server.BUCKET)).isEmpty();
	}

	@Test
	void keysLiveUnderThePrefixAndNamespace() throws IOException {
		this.store.put("x/y", text("z"));
		assertThat(server.blobStore()
			.list(S3Server.BUCKET, ListContainerOptions.Builder.prefix("brainplane/" + this.namespace).recursive()))
			.extracting(StorageMetadata::getName)
			.containsExactly("brainplane/" + this.namespace + "x/y");
		assertThat(this.store.location()).isEqualTo("s3://" + S3Server.BUCKET + "/brainplane/" + this.namespace);
	}

	@Test
	void aServerThatGoesAwayMidUploadLeavesNoObject() throws IOException {
		try (S3Server failing = S3Server.start()) {
			ObjectStores failingStores = stores(failing);
			ObjectStore store = failingStores.s3("outage/");
			byte[] content = random(LARGE);
			AtomicBoolean stopped = new AtomicBoolean();
			// the server stops after the first part went up, while the second is read
			InputStream source = new ByteArrayInputStream(content);
			InputStream cutOff = new InputStream() {

				private long position;

				@Override
				public int read() throws IOException {
					byte[] one = new byte[1];
					return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					if (this.position >= 7 * 1024 * 1024 && stopped.compareAndSet(false, true)) {
						failing.stop();
					}
					int n = source.read(b, off, len);
					this.position += Math.max(n, 0);
					return n;
				}

			};
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> store.put("cut.bin", cutOff))
				.withMessageStartingWith("S3 put of s3://" + S3Server.BUCKET + "/brainplane/outage/cut.bin failed");
			assertThat(stopped).isTrue();
			assertThat(failing.blobStore().blobExists(S3Server.BUCKET, "brainplane/outage/cut.bin")).isFalse();
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> store.list(""));
			failingStores.destroy();
		}
	}

	@Test
	void aStoreNeedsABucket() {
		ObjectStores unconfigured = new ObjectStores(new StorageProperties(
				new StorageProperties.S3(null, "us-east-1", null, "brainplane/", false, DataSize.ofMegabytes(8))));
		assertThatIllegalStateException().isThrownBy(() -> unconfigured.s3("backups/"))
			.withMessage("brain.storage.s3.bucket must be set to store on s3");
	}

}
