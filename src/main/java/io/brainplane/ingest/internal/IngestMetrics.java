package io.brainplane.ingest.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.brainplane.index.IngestState;
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

	/** The states of jobs still to come, shown as gauges. */
	private static final List<IngestState> PENDING = Arrays.stream(IngestState.values())
		.filter(IngestState::pending)
		.toList();

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
		for (IngestState state : PENDING) {
			Gauge.builder("brain.ingest.jobs", () -> pending().getOrDefault(state, 0L))
				.tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
				.description("Ingestion jobs waiting or running, across all replicas")
				.register(registry);
		}
	}

	private Map<IngestState, Long> pending() {
		try {
			Map<IngestState, Long> counts = new java.util.EnumMap<>(IngestState.class);
			this.jdbc
				.sql("select state, count(*) from ingest_job where state in %s group by state"
					.formatted(IngestState.sqlList(IngestState::pending)))
				.query((rs, row) -> counts.put(IngestState.valueOf(rs.getString(1)), rs.getLong(2)))
				.list();
			return counts;
		}
		catch (RuntimeException ex) {
			// the database is unreachable: no figure rather than a wrong one
			Map<IngestState, Long> unknown = new java.util.EnumMap<>(IngestState.class);
			PENDING.forEach((state) -> unknown.put(state, -1L));
			return unknown;
		}
	}

}
