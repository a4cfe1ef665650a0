package io.brainplane.index;

import java.util.Optional;

/**
 * A rule that may refuse an operator's activation (for example an evaluation below the
 * configured minimum). Rollbacks are never gated: they restore a version that served
 * before.
 */
public interface ActivationGate {

	/**
	 * @param version the version about to be activated
	 * @param force whether the operator asked to override gates
	 * @return why the activation is refused, empty to let it through
	 */
	Optional<String> refuse(long version, boolean force);

}
