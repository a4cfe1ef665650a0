package io.brainplane.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.brainplane.BrainplaneApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another Brainplane replica in the same JVM: its own ports and data directory, a
 * database of the caller's choosing. Closing it stops it.
 */
public final class SecondReplica implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private SecondReplica(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public static SecondReplica start(TestDatabase.Coordinates database, Path dataDir, String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--brain.data-dir=" + dataDir, "--brain.index.poll-interval=200ms",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password()));
		args.addAll(List.of(extra));
		return new SecondReplica(
				new SpringApplicationBuilder(BrainplaneApplication.class).run(args.toArray(String[]::new)));
	}

	/** Starts with the embedded default database (no datasource configured). */
	public static SecondReplica startEmbedded(Path dataDir) {
		return new SecondReplica(new SpringApplicationBuilder(BrainplaneApplication.class).run("--server.port=0",
				"--management.server.port=0", "--brain.data-dir=" + dataDir));
	}

	public Api api() {
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
