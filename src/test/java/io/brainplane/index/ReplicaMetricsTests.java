package io.brainplane.index;

import java.time.Duration;
import java.util.List;

import io.brainplane.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gauges behind {@code brain_active_version}, {@code brain_active_documents},
 * {@code brain_active_chunks}, {@code brain_index_freshness_seconds},
 * {@code brain_replica_lag_seconds} and {@code brain_replica_ready} (the test context
 * does not export to Prometheus, so the registry is read directly).
 */
class ReplicaMetricsTests extends IntegrationTest {

	@Autowired
	MeterRegistry registry;

	@Test
	void gaugesShowTheActiveVersionItsSizeFreshnessAndLag() {
		long version = sealedVersion("none", List.of(doc(unique("m"), "Metrics", "Gauges of the active version."),
				doc(unique("m"), "More", "Another document.")));
		activate(version);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(gauge("brain.active.version")).isEqualTo(version));
		assertThat(gauge("brain.active.documents")).isEqualTo(2);
		assertThat(gauge("brain.active.chunks")).isEqualTo(2);
		assertThat(gauge("brain.index.freshness")).isGreaterThanOrEqualTo(0);
		assertThat(gauge("brain.replica.ready")).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gauge("brain.replica.lag")).isZero());
		assertThat(this.registry.get("brain.index.freshness").gauge().getId().getBaseUnit()).isEqualTo("seconds");
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

}
