package io.brainplane.platform;

import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings every connection of the service's pool starts with.
 */
class DatabaseSessionTests extends IntegrationTest {

	/**
	 * No JIT compilation: the service's statements are short, and PostgreSQL's cost
	 * estimate can take one over a large brain for a long one and spend a second
	 * compiling it (the seal's ingestion check at 200,000 chunks: 1,229 of 1,374 ms, see
	 * docs/performance.md).
	 */
	@Test
	void connectionsRunWithoutJit() {
		assertThat(this.jdbc.sql("show jit").query(String.class).single()).isEqualTo("off");
	}

	/**
	 * Plans for the actual parameters, never a generic plan: the driver prepares a
	 * statement on the server from its fifth run, and a generic plan cannot see how short
	 * an array of changed keys or revision ids is, so it read every member of a version
	 * (1,001 of 1,001 in ChangeSealTests, only in full runs) where the custom plan reads
	 * the change.
	 */
	@Test
	void connectionsPlanForTheActualParameters() {
		assertThat(this.jdbc.sql("show plan_cache_mode").query(String.class).single()).isEqualTo("force_custom_plan");
	}

}
