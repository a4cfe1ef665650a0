package io.brainplane.ingest.internal;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ingestion metrics: chunks cut and texts embedded by this replica, jobs given up, and
 * the queue as the database holds it (the same figure on every replica; read at scrape
 * time with one indexed query).
 */
@Component
public class IngestMetrics {

	final Counter embedded;

	final Counter chunked;

	final Counter failures;

	private final JdbcClient jdbc;

	IngestMetrics(MeterRegistry registry, JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.embedded = Counter.builder("brain.ingest.embedded")
			.description("Chunk texts embedded by this replica's ingestion jobs")
			.register(registry);
		this.chunked = Counter.builder("brain.ingest.chunked")
			.description("Document revisions cut into chunks by this replica's ingestion jobs")
			.register(registry);
		this.failures = Counter.builder("brain.ingest.job.failures")
			.description("Ingestion jobs this replica gave up on (marked FAILED)")
			.register(registry);
		for (String state : new String[] { "QUEUED", "RUNNING" }) {
			Gauge.builder("brain.ingest.jobs", () -> pending().getOrDefault(state, 0L))
				.tag("state", state.toLowerCase(java.util.Locale.ROOT))
				.description("Ingestion jobs waiting or running, across all replicas")
				.register(registry);
		}
	}

	private Map<String, Long> pending() {
		try {
			Map<String, Long> counts = new java.util.HashMap<>();
			this.jdbc.sql("select state, count(*) from ingest_job where state in ('QUEUED', 'RUNNING') group by state")
				.query((rs, row) -> counts.put(rs.getString(1), rs.getLong(2)))
				.list();
			return counts;
		}
		catch (RuntimeException ex) {
			// the database is unreachable: no figure rather than a wrong one
			return Map.of("QUEUED", -1L, "RUNNING", -1L);
		}
	}

}
