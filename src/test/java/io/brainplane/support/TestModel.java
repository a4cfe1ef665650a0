package io.brainplane.support;

/**
 * The in-process embedding model of the tests: all-MiniLM-L6-v2, which embeds at about
 * twice the speed of the shipped default, bge-small-en-v1.5. Every test whose subject is
 * not the default model's vectors or quality embeds with it: the shared test context
 * ({@link IntegrationTest}), every {@link SecondReplica} and every child JVM
 * ({@link ChildJvm}), so that a version created by one of them is embedded by any other
 * with the model it was created with (a version keeps its model; a replica with another
 * one fails its ingestion jobs).
 * <p>
 * The tests about the shipped model opt back in: {@code EmbeddedDefaultTests} (the
 * shipped defaults, nothing configured: proves the default is bge-small and works end to
 * end), {@code CranfieldQualityTests} (bge-small's retrieval quality, on a replica
 * started with {@link #SHIPPED_ARG}) and {@code LocalEmbeddingProviderTests} (both models
 * directly).
 * <p>
 * {@code -Dbrain.test.embedding-model=bge-small-en-v1.5-q} runs the whole suite on
 * another model (for instance to regenerate that model's Cranfield recording with
 * {@code CranfieldVectorsTests}).
 */
public final class TestModel {

	/** The shipped default model ({@code EmbeddingProperties}). */
	public static final String SHIPPED = "bge-small-en-v1.5-q";

	/** The faster model, the tests' unless {@code brain.test.embedding-model} is set. */
	public static final String FAST = "all-minilm-l6-v2-q";

	/**
	 * The test context's setting (a constant, for annotations): the tests' model,
	 * resolved when the context starts.
	 */
	public static final String CONTEXT_PROPERTY = "brain.embedding.model=${brain.test.embedding-model:" + FAST + "}";

	/**
	 * The model the tests use, unless {@code brain.test.embedding-model} says otherwise.
	 */
	public static final String ID = System.getProperty("brain.test.embedding-model", FAST);

	/** {@code brain.embedding.model=<ID>}, as a property. */
	public static final String PROPERTY = "brain.embedding.model=" + ID;

	/** {@code --brain.embedding.model=<ID>}, as an application argument. */
	public static final String ARG = "--" + PROPERTY;

	/** {@code --brain.embedding.model=<SHIPPED>}: a replica on the shipped model. */
	public static final String SHIPPED_ARG = "--brain.embedding.model=" + SHIPPED;

	/** The local model that is not {@link #ID}: for tests that change model. */
	public static final String OTHER = ID.equals(SHIPPED) ? FAST : SHIPPED;

	private TestModel() {
	}

	/** A model id as a version reports it ({@code embeddingModel}). */
	public static String versionModel(String id) {
		return "local:" + id;
	}

}
