package io.brainplane.index;

/**
 * Life cycle of an index version. Only {@code BUILDING} versions take documents; only
 * sealed ones ({@code READY}, {@code ACTIVE}, {@code RETIRED}) can be served.
 */
public enum VersionState {

	BUILDING, READY, ACTIVE, RETIRED, FAILED;

	public boolean sealed() {
		return this == READY || this == ACTIVE || this == RETIRED;
	}

	public boolean activatable() {
		return this == READY || this == RETIRED;
	}

}
