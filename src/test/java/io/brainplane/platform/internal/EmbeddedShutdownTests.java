package io.brainplane.platform.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.brainplane.support.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stopped service (SIGTERM: Kubernetes, Ctrl-C, {@code kill}) closes its embedded
 * PostgreSQL last. The database library's own shutdown hook stopped it at once, beside
 * Spring's: the ingestion workers and the search-record writer then failed mid-write
 * (records lost, stack traces in the log).
 */
class EmbeddedShutdownTests {

	@Test
	void theEmbeddedDatabaseAnswersUntilTheApplicationClosesIt(@TempDir Path dataDir) {
		try (ChildJvm child = ChildJvm.start(ShutdownWatcher.class, List.of(), List.of(dataDir.toString()))) {
			child.awaitOutput("READY", Duration.ofMinutes(2));
			child.terminate();
			assertThat(child.awaitOutput("SHUTDOWN (.*)", Duration.ofSeconds(30))).isEqualTo("DATABASE ANSWERED");
		}
	}

}
