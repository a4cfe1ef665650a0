package io.brainplane.ops.internal;

/**
 * Outcome of posting one pulse: delivered, or the reason it was not.
 */
public record PulseDelivery(boolean delivered, String error) {

	static PulseDelivery ok() {
		return new PulseDelivery(true, null);
	}

	static PulseDelivery failed(String error) {
		return new PulseDelivery(false, error);
	}

}
