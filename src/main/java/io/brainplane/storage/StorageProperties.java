package io.brainplane.storage;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Object storage.
 *
 * @param s3 the S3-compatible bucket used by every module configured to store on
 * {@code s3}
 */
@Validated
@ConfigurationProperties("brain.storage")
public record StorageProperties(@DefaultValue @Valid S3 s3) {

	/**
	 * An S3-compatible bucket. Credentials come from the AWS SDK's default chain:
	 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, a profile, web identity
	 * (IRSA) or the instance role.
	 *
	 * @param endpoint the endpoint; unset for AWS, set for MinIO, Ceph, R2 and others
	 * (e.g. {@code http://minio:9000})
	 * @param region the region
	 * @param bucket the bucket; required when a module stores on {@code s3}
	 * @param prefix the prefix of every key Brainplane writes, so a bucket can be shared
	 * @param pathStyle whether to address the bucket in the path
	 * ({@code endpoint/bucket/key}) instead of the host name; most self-hosted servers
	 * need it
	 * @param partSize the size of the parts of multipart uploads, the memory an upload
	 * holds (at least 5MB, S3's minimum part size)
	 */
	public record S3(@Nullable URI endpoint, @DefaultValue("us-east-1") @NotBlank String region,
			@Nullable String bucket, @DefaultValue("brainplane/") String prefix,
			@DefaultValue("false") boolean pathStyle, @DefaultValue("8MB") DataSize partSize) {

		/** The prefix with exactly one trailing slash, or empty. */
		public String normalizedPrefix() {
			String trimmed = this.prefix.replaceAll("^/+|/+$", "");
			return trimmed.isEmpty() ? "" : trimmed + "/";
		}

	}

}
