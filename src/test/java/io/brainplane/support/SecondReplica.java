package io.brainplane.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.brainplane.BrainplaneApplication;
import io.brainplane.embed.internal.EmbeddingProperties;
import io.brainplane.embed.internal.LocalEmbeddingProvider;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another Brainplane replica in the same JVM: its own ports and data directory, a
 * database of the caller's choosing. Closing it stops it.
 * <p>
 * One thing is shared: the in-process embedding model. Replicas with the same model,
 * threads and batch size get the same {@link LocalEmbeddingProvider} (thread-safe, no
 * replica state), loaded once per test JVM instead of at each of the suite's many replica
 * starts; it is never closed with a replica. The replica's own bean definition is kept,
 * so whether it has a model still follows its configuration.
 */
public final class SecondReplica implements AutoCloseable {

	/** The bean {@code EmbeddingConfiguration} declares for the local model. */
	private static final String LOCAL_MODEL_BEAN = "localEmbeddingProvider";

	private static final Map<String, LocalEmbeddingProvider> MODELS = new ConcurrentHashMap<>();

	private final ConfigurableApplicationContext context;

	private boolean keyed;

	private SecondReplica(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts with the test keys of {@link TestKeys}, the webhook secret and high rate
	 * limits; {@code extra} ({@code --name=value}) adds to or overrides any of them.
	 */
	public static SecondReplica start(TestDatabase.Coordinates database, Path dataDir, String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--brain.data-dir=" + dataDir, "--brain.index.poll-interval=200ms",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password()));
		return run(withTestDefaults(args, true), extra);
	}

	/**
	 * Like {@link #start} but without any API key configured, so the service generates
	 * its operator key; {@link #api()} then sends no key.
	 */
	public static SecondReplica startWithoutKeys(TestDatabase.Coordinates database, Path dataDir, String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--brain.data-dir=" + dataDir, "--brain.index.poll-interval=200ms",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password()));
		return run(withTestDefaults(args, false), extra);
	}

	/** Starts with the embedded default database (no datasource configured). */
	public static SecondReplica startEmbedded(Path dataDir) {
		return run(withTestDefaults(
				new ArrayList<>(
						List.of("--server.port=0", "--management.server.port=0", "--brain.data-dir=" + dataDir)),
				true));
	}

	private static List<String> withTestDefaults(List<String> args, boolean keys) {
		if (keys) {
			TestKeys.keyProperties().forEach((property) -> args.add("--" + property));
		}
		args.add("--brain.webhook.secret=" + TestKeys.WEBHOOK_SECRET);
		args.add("--brain.ratelimit.search-per-minute=100000");
		args.add("--brain.ratelimit.webhook-per-minute=100000");
		args.add("--brain.ratelimit.default-per-minute=100000");
		return args;
	}

	/**
	 * Runs with the arguments, an extra {@code --name=value} replacing one of the same
	 * name.
	 */
	private static SecondReplica run(List<String> args, String... extra) {
		Map<String, String> byName = new LinkedHashMap<>();
		for (String arg : args) {
			byName.put(name(arg), arg);
		}
		for (String arg : extra) {
			byName.put(name(arg), arg);
		}
		SecondReplica replica = new SecondReplica(new SpringApplicationBuilder(BrainplaneApplication.class)
			.initializers((context) -> context.addBeanFactoryPostProcessor((beans) -> {
				if (beans.containsBeanDefinition(LOCAL_MODEL_BEAN)) {
					beans.registerSingleton(LOCAL_MODEL_BEAN, sharedModel(context.getEnvironment()));
				}
			}))
			.run(byName.values().toArray(String[]::new)));
		replica.keyed = byName.keySet().stream().anyMatch((name) -> name.startsWith("--brain.security.keys"));
		return replica;
	}

	/** The model for the replica's {@code brain.embedding} settings, loaded once. */
	private static LocalEmbeddingProvider sharedModel(org.springframework.core.env.Environment environment) {
		EmbeddingProperties properties = Binder.get(environment)
			.bindOrCreate("brain.embedding", EmbeddingProperties.class);
		String key = properties.model().id() + "/" + properties.effectiveThreads() + "/" + properties.batchSize();
		// as EmbeddingConfiguration does: the tokenizer's native library is unpacked
		// under
		// the data directory, not the home directory
		if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
			System.setProperty("DJL_CACHE_DIR",
					Path.of(environment.getRequiredProperty("brain.data-dir"), "cache", "djl").toString());
		}
		return MODELS.computeIfAbsent(key, (name) -> new LocalEmbeddingProvider(properties.model(),
				properties.effectiveThreads(), properties.batchSize()));
	}

	private static String name(String arg) {
		int equals = arg.indexOf('=');
		return (equals < 0) ? arg : arg.substring(0, equals);
	}

	/**
	 * A client with the operator key of {@link TestKeys} (none when started without
	 * keys).
	 */
	public Api api() {
		Api anonymous = anonymousApi();
		return this.keyed ? anonymous.withHeaders(TestKeys.bearer(TestKeys.OPERATOR)) : anonymous;
	}

	/** A client with the given key. */
	public Api api(String key) {
		return anonymousApi().withHeaders(TestKeys.bearer(key));
	}

	/** A client without a key. */
	public Api anonymousApi() {
		return new Api("http://localhost:" + port());
	}

	public Api management() {
		return new Api("http://localhost:" + this.context.getEnvironment().getProperty("local.management.port"));
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
