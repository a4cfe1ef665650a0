package io.brainplane.support;

import java.util.List;

/**
 * The API keys and webhook secret every test application uses: the shared context
 * ({@link IntegrationTest}) and {@link SecondReplica} configure the same ones.
 */
public final class TestKeys {

	public static final String OPERATOR = "test-operator-key-0001";

	public static final String READER = "test-reader-key-0002";

	/** A reader key configured only by its SHA-256. */
	public static final String HASHED_READER = "test-hashed-reader-key-0003";

	public static final String HASHED_READER_SHA256 = "39beea953af981c717da5527a4e38ababc5f0be8d94a47e23bbca15cc00c4f72";

	/** A Standard Webhooks secret: whsec_ and the base64 of 32 bytes. */
	public static final String WEBHOOK_SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC1vZi0zMi1ieXRlcyE=";

	/** Properties (without leading dashes) configuring these keys. */
	public static final String KEYS_0_NAME = "brain.security.keys[0].name=test-operator";

	public static final String KEYS_0_ROLE = "brain.security.keys[0].role=operator";

	public static final String KEYS_0_KEY = "brain.security.keys[0].key=" + OPERATOR;

	public static final String KEYS_1_NAME = "brain.security.keys[1].name=test-reader";

	public static final String KEYS_1_ROLE = "brain.security.keys[1].role=reader";

	public static final String KEYS_1_KEY = "brain.security.keys[1].key=" + READER;

	public static final String KEYS_2_NAME = "brain.security.keys[2].name=test-hashed-reader";

	public static final String KEYS_2_ROLE = "brain.security.keys[2].role=reader";

	public static final String KEYS_2_SHA256 = "brain.security.keys[2].sha256=" + HASHED_READER_SHA256;

	private TestKeys() {
	}

	/** Every key property, for command-line style configuration. */
	public static List<String> keyProperties() {
		return List.of(KEYS_0_NAME, KEYS_0_ROLE, KEYS_0_KEY, KEYS_1_NAME, KEYS_1_ROLE, KEYS_1_KEY, KEYS_2_NAME,
				KEYS_2_ROLE, KEYS_2_SHA256);
	}

	public static java.util.Map<String, String> bearer(String key) {
		return java.util.Map.of("Authorization", "Bearer " + key);
	}

}
