package io.brainplane.index;

import java.util.Arrays;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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

	/**
	 * The states that pass the filter as an SQL list of literals, e.g.
	 * {@code ('READY', 'ACTIVE', 'RETIRED')}, so queries take their states from here
	 * rather than spelling them out.
	 */
	public static String sqlList(Predicate<VersionState> filter) {
		return Arrays.stream(values())
			.filter(filter)
			.map((state) -> "'" + state.name() + "'")
			.collect(Collectors.joining(", ", "(", ")"));
	}

}
