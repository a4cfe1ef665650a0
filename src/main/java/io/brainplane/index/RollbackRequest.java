package io.brainplane.index;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * A rollback to ask {@link ActivationService#rollback(RollbackRequest)} for.
 *
 * @param target the version to go back to, or null for the version that was active before
 * the current one
 * @param kind {@link ActivationKind#ROLLBACK} or {@link ActivationKind#AUTO_ROLLBACK}
 * @param actor who asks
 * @param reason why, as the activation log shows it
 */
public record RollbackRequest(@Nullable Long target, ActivationKind kind, Actor actor, @Nullable String reason) {

	public RollbackRequest {
		Assert.isTrue(kind.rollback(), "a rollback's kind is rollback or auto_rollback");
	}

	/** An operator's rollback. */
	public static RollbackRequest byOperator(@Nullable Long target, Actor actor, @Nullable String reason) {
		return new RollbackRequest(target, ActivationKind.ROLLBACK, actor, reason);
	}

	/** The automatic rollback to {@code target}. */
	public static RollbackRequest automatic(long target, String reason) {
		return new RollbackRequest(target, ActivationKind.AUTO_ROLLBACK, Actor.AUTO_ROLLBACK, reason);
	}

}
