package io.brainplane.platform.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.brainplane.platform.PlatformProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Run in a child JVM by {@link EmbeddedShutdownTests}: starts the embedded PostgreSQL as
 * the service does and, in a shutdown hook standing in for Spring's (which stops the web
 * server, the ingestion workers and the record writers before it closes the database),
 * keeps querying for a while, then says whether the database answered throughout, and
 * closes it.
 */
public final class ShutdownWatcher {

	/**
	 * Queries the hook runs, 10 ms apart: half a second, longer than a fast shutdown of
	 * PostgreSQL (the library's own hook stopped it before the first query).
	 */
	private static final int QUERIES = 50;

	private ShutdownWatcher() {
	}

	public static void main(String[] args) throws Exception {
		EmbeddedPostgres postgres = new EmbeddedDatabaseConfiguration()
			.embeddedPostgres(new PlatformProperties(Path.of(args[0])));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("SHUTDOWN " + queryThroughout(postgres));
			try {
				postgres.close();
			}
			catch (Exception ex) {
				System.out.println("CLOSE FAILED " + ex);
			}
		}));
		System.out.println("READY");
		Thread.sleep(Long.MAX_VALUE);
	}

	private static String queryThroughout(EmbeddedPostgres postgres) {
		for (int i = 0; i < QUERIES; i++) {
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("select 1");
				Thread.sleep(10);
			}
			catch (SQLException ex) {
				return "DATABASE GONE after " + i + " queries";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "INTERRUPTED";
			}
		}
		return "DATABASE ANSWERED";
	}

}
