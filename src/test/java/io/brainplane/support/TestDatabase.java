package io.brainplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The one place that decides which real PostgreSQL the tests use: a Testcontainers
 * PostgreSQL when a Docker engine answers, otherwise the embedded one. Started once per
 * test JVM and shared by every test class and application context.
 */
public final class TestDatabase {

	private static Coordinates coordinates;

	private TestDatabase() {
	}

	public static synchronized Coordinates get() {
		if (coordinates == null) {
			coordinates = dockerAvailable() ? container() : embedded();
		}
		return coordinates;
	}

	public static void register(DynamicPropertyRegistry registry) {
		Coordinates database = get();
		registry.add("spring.datasource.url", database::url);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
	}

	/**
	 * A new, empty database on the same server, for a context that must start on nothing.
	 */
	public static Coordinates createDatabase(String name) {
		Coordinates database = get();
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			statement.execute("drop database if exists " + name + " with (force)");
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		String url = database.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
		return new Coordinates(url, database.username(), database.password());
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	@SuppressWarnings("resource")
	private static Coordinates container() {
		PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17-alpine");
		container.start();
		return new Coordinates(container.getJdbcUrl(), container.getUsername(), container.getPassword());
	}

	private static Coordinates embedded() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			return new Coordinates(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * How to reach the test database.
	 */
	public record Coordinates(String url, String username, String password) {
	}

}
