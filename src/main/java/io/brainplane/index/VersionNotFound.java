package io.brainplane.index;

import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpStatus;

/**
 * 404 for a version number that does not exist.
 */
public class VersionNotFound extends BrainProblem {

	public VersionNotFound(long version) {
		super(HttpStatus.NOT_FOUND, "version-not-found", "Version not found", "No index version " + version);
	}

}
