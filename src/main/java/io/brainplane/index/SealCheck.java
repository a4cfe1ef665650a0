package io.brainplane.index;

import java.util.List;

import io.brainplane.platform.StepTimings;

/**
 * One of the checks a version must pass before it is sealed. Modules contribute checks as
 * beans; a seal runs them all in order and refuses with every failure listed.
 */
public interface SealCheck {

	/**
	 * @return the failures, empty when the version passes
	 */
	List<String> check(VersionRef version);

	/**
	 * Slow work the check can do before the seal's transaction, so no lock or connection
	 * is held meanwhile (building the local index, say). The version may still change
	 * before {@link #check} runs; the check must not rely on it.
	 */
	default void prepare(VersionRef version) {
	}

	/**
	 * Called once for every version reference the seal prepared or checked, after the
	 * seal committed (and this replica's sync has reconciled with the sealed version) or
	 * failed: what {@link #prepare} or {@link #check} held for the seal can go.
	 */
	default void release(VersionRef version) {
	}

	/** The check's name in the seal's log line of step timings. */
	default String name() {
		return getClass().getSimpleName();
	}

	/**
	 * {@link #prepare(VersionRef)}, timed into the seal's steps (as {@link #name()}
	 * unless the check times its own parts).
	 */
	default void prepare(VersionRef version, StepTimings timings) {
		timings.time(name() + " prepare", () -> prepare(version));
	}

	/** {@link #check(VersionRef)}, timed into the seal's steps as {@link #name()}. */
	default List<String> check(VersionRef version, StepTimings timings) {
		return timings.time(name(), () -> check(version));
	}

}
