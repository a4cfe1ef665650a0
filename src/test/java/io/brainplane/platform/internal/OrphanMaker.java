package io.brainplane.platform.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Run in a child JVM by {@link OrphanedPostmasterTests}: starts an embedded PostgreSQL on
 * the given data directory, as the service does, writes a row, says so and waits to be
 * killed.
 */
public final class OrphanMaker {

	private OrphanMaker() {
	}

	public static void main(String[] args) throws Exception {
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(Path.of(args[0]))
			.setCleanDataDirectory(false)
			.start();
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("create table survivor (note text)");
			statement.execute("insert into survivor values ('written before the kill')");
		}
		System.out.println("READY");
		Thread.sleep(Long.MAX_VALUE);
	}

}
