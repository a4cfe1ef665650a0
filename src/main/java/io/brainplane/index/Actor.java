package io.brainplane.index;

import org.springframework.util.Assert;

/**
 * Who moved the active pointer, as the activation log records it: an API key's name, or
 * the name of an automatic safeguard. A type of its own so that it cannot be swapped with
 * a reason.
 */
public record Actor(String name) {

	/** The automatic rollback of the quality module. */
	public static final Actor AUTO_ROLLBACK = new Actor("auto-rollback");

	public Actor {
		Assert.hasText(name, "an actor has a name");
	}

	@Override
	public String toString() {
		return this.name;
	}

}
