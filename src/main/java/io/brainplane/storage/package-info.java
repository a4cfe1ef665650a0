/**
 * Object storage shared by the modules that keep files off the machine: an
 * {@link io.brainplane.storage.ObjectStore} of keys and streamed contents, on a local
 * directory or on an S3-compatible bucket (AWS SDK v2, configured under
 * {@code brain.storage.s3.*}, credentials from the SDK's default chain). Large objects go
 * up as multipart uploads, one part in memory at a time; a failed upload leaves no object
 * behind.
 */
@NonNullApi
package io.brainplane.storage;

import org.springframework.lang.NonNullApi;
