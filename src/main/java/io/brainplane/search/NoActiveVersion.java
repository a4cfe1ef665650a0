package io.brainplane.search;

import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * 503 while this replica has no version to serve.
 */
class NoActiveVersion extends BrainProblem {

	NoActiveVersion() {
		super(HttpStatus.SERVICE_UNAVAILABLE, "no-active-version", "No active version",
				"No index version is active yet: create, seal and activate one first", retryAfter());
	}

	private static HttpHeaders retryAfter() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "30");
		return headers;
	}

}
