package io.brainplane.platform;

import java.io.IOException;

/**
 * Thrown while a request body is read once it has grown past its limit; answered with 413
 * problem+json. An {@link IOException} so that body readers (Jackson, servlet input
 * streams) pass it through unchanged.
 */
public class PayloadTooLargeException extends IOException {

	private final long limit;

	public PayloadTooLargeException(long limit) {
		super("request body larger than " + limit + " bytes");
		this.limit = limit;
	}

	public long limit() {
		return this.limit;
	}

}
