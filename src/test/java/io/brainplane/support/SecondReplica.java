package io.brainplane.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.brainplane.BrainplaneApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another Brainplane replica in the same JVM: its own ports and data directory, a
 * database of the caller's choosing. Closing it stops it.
 * <p>
 * Like the shared test context, a replica embeds with the tests' model
 * ({@link TestModel}: the faster one, unless its test is about the shipped default and
 * says {@link TestModel#SHIPPED_ARG}), and one thing is shared: the in-process embedding
 * model ({@link SharedModels}), loaded once per test JVM for the test context and every
 * replica with the same model, threads and batch size, and answering the Cranfield texts
 * from their recording.
 */
public final class SecondReplica implements AutoCloseable {

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

	/**
	 * Starts with the shipped defaults: the embedded default database (no datasource
	 * configured) and the shipped embedding model; only the ports, the data directory and
	 * the test keys and limits are set.
	 */
	public static SecondReplica startEmbedded(Path dataDir) {
		return run(withTestDefaults(
				new ArrayList<>(
						List.of("--server.port=0", "--management.server.port=0", "--brain.data-dir=" + dataDir)),
				true, false));
	}

	private static List<String> withTestDefaults(List<String> args, boolean keys) {
		return withTestDefaults(args, keys, true);
	}

	private static List<String> withTestDefaults(List<String> args, boolean keys, boolean testModel) {
		if (testModel) {
			args.add(TestModel.ARG);
		}
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
			.initializers(
					(context) -> context.addBeanFactoryPostProcessor(SharedModels.registrar(context.getEnvironment())))
			.run(byName.values().toArray(String[]::new)));
		replica.keyed = byName.keySet().stream().anyMatch((name) -> name.startsWith("--brain.security.keys"));
		return replica;
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
