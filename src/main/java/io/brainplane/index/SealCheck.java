package io.brainplane.index;

import java.util.List;

/**
 * One of the checks a version must pass before it is sealed. Modules contribute checks as
 * beans; a seal runs them all in order and refuses with every failure listed.
 */
public interface SealCheck {

	/**
	 * @return the failures, empty when the version passes
	 */
	List<String> check(VersionRef version);

}
