package io.brainplane.support;

import java.net.URI;
import java.util.Properties;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server in the test JVM: S3Proxy over an in-memory blob store, with SigV4
 * authentication. {@link #shared()} is started once per JVM and serves the shared
 * application context; tests that break the server start their own with {@link #start()}.
 * The AWS SDK's default credential chain finds the server's keys in the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties.
 */
public final class S3Server implements AutoCloseable {

	public static final String ACCESS_KEY = "brainplane-test";

	public static final String SECRET_KEY = "brainplane-test-secret";

	public static final String BUCKET = "brainplane-test";

	private static S3Server shared;

	private final BlobStoreContext context;

	private final S3Proxy proxy;

	private S3Server(BlobStoreContext context, int port) throws Exception {
		this.context = context;
		this.proxy = S3Proxy.builder()
			.blobStore(context.getBlobStore())
			.endpoint(URI.create("http://127.0.0.1:" + port))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
			.build();
		this.proxy.start();
		while (!AbstractLifeCycle.STARTED.equals(this.proxy.getState())) {
			Thread.onSpinWait();
		}
	}

	/** The server of the shared application context, with {@link #BUCKET}. */
	public static synchronized S3Server shared() {
		if (shared == null) {
			shared = start();
			shared.createBucket(BUCKET);
		}
		return shared;
	}

	/** A new server on its own in-memory store, with {@link #BUCKET}. */
	public static S3Server start() {
		System.setProperty("aws.accessKeyId", ACCESS_KEY);
		System.setProperty("aws.secretAccessKey", SECRET_KEY);
		Properties overrides = new Properties();
		BlobStoreContext context = ContextBuilder.newBuilder("transient")
			.credentials(ACCESS_KEY, SECRET_KEY)
			.overrides(overrides)
			.build(BlobStoreContext.class);
		try {
			S3Server server = new S3Server(context, 0);
			server.createBucket(BUCKET);
			return server;
		}
		catch (Exception ex) {
			context.close();
			throw new IllegalStateException("S3Proxy did not start", ex);
		}
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.proxy.getPort());
	}

	/** The blob store behind the server, to look at objects without the S3 protocol. */
	public BlobStore blobStore() {
		return this.context.getBlobStore();
	}

	public void createBucket(String bucket) {
		blobStore().createContainerInLocation(null, bucket);
	}

	/** Stops answering, as a network failure or an outage of the bucket would. */
	public void stop() {
		try {
			this.proxy.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		stop();
		this.context.close();
	}

}
