package io.brainplane.platform.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.brainplane.platform.PlatformProperties;

/**
 * The embedded default: with no {@code BRAIN_DATABASE_URL} the service starts its own
 * PostgreSQL whose data lives under {@code <data-dir>/postgres} and survives restarts.
 * Production points {@code BRAIN_DATABASE_URL} at an external server and this
 * configuration stays out of the way. A server left running on the data directory by a
 * killed JVM is stopped first ({@link OrphanedPostmaster}), so the first start after a
 * crash works.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	@Bean(destroyMethod = "close")
	public EmbeddedPostgres embeddedPostgres(PlatformProperties properties) throws IOException {
		Path dataDirectory = properties.dataDir().resolve("postgres").toAbsolutePath().normalize();
		Files.createDirectories(dataDirectory);
		// a postgres orphaned by a killed JVM would make this start fail
		OrphanedPostmaster.stopIfRunning(dataDirectory);
		// Closed by the application context, after everything that writes (the web
		// server,
		// the ingestion workers, the search-record writer). The library's own shutdown
		// hook would stop it at once on SIGTERM, beside the context's, and their last
		// writes would fail. A JVM killed outright leaves it running either way: the next
		// start stops it (above).
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDirectory)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.start();
		log.info("No BRAIN_DATABASE_URL set: started embedded PostgreSQL on port {} with data in {}",
				postgres.getPort(), dataDirectory);
		return postgres;
	}

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		return DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.url(postgres.getJdbcUrl("postgres", "postgres"))
			.username("postgres")
			.build();
	}

}
