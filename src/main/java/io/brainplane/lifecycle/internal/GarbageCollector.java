package io.brainplane.lifecycle.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.brainplane.index.VersionRetention;
import io.brainplane.index.VersionService;
import io.brainplane.ingest.IngestRetention;
import io.brainplane.platform.FaultPoint;
import io.brainplane.quality.QualityRetention;
import io.brainplane.search.IndexStorage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * One garbage collection: old versions first (through the version service, so every
 * replica drops their local indexes), then what no remaining version references, each
 * module in its own tables. Deletes are idempotent and go in an order where references go
 * before what they point at, so a run killed at any point is simply redone by the next. A
 * step that fails is logged and the others still run.
 */
@Component
public class GarbageCollector {

	private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

	private final VersionRetention retention;

	private final VersionService versions;

	private final IngestRetention ingest;

	private final QualityRetention quality;

	private final IndexStorage storage;

	private final GcProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	GarbageCollector(VersionRetention retention, VersionService versions, IngestRetention ingest,
			QualityRetention quality, IndexStorage storage, GcProperties properties, Clock clock,
			MeterRegistry meters) {
		this.retention = retention;
		this.versions = versions;
		this.ingest = ingest;
		this.quality = quality;
		this.storage = storage;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * Runs a collection now, on the calling thread.
	 * @return what it deleted, by kind
	 */
	public Map<String, Long> collect() {
		long started = System.nanoTime();
		Instant now = this.clock.instant();
		int batch = this.properties.batchSize();
		Instant graceCutoff = now.minus(this.properties.grace());
		Map<String, Long> freed = new LinkedHashMap<>();
		List<String> failed = new java.util.ArrayList<>();
		step(freed, failed, "versions", () -> {
			List<Long> deleted = this.retention.prune(now, batch);
			if (!deleted.isEmpty()) {
				// the fault tests kill a collection here: versions gone, their rows not
				// yet
				FaultPoint.reach("gc.after-versions");
			}
			return Map.of("versions", (long) deleted.size());
		});
		step(freed, failed, "revisions", () -> {
			IngestRetention.Freed swept = this.ingest.sweepRevisions(graceCutoff, batch, this.properties.scanLimit());
			return Map.of("revisions", swept.revisions(), "chunks", swept.chunks());
		});
		step(freed, failed, "embeddings", () -> Map.of("embeddings",
				this.ingest.sweepEmbeddings(graceCutoff, batch, this.properties.scanLimit())));
		step(freed, failed, "jobs",
				() -> Map.of("jobs", this.ingest.pruneJobs(now.minus(this.properties.jobRetention()), batch)));
		step(freed, failed, "webhook_deliveries", () -> Map.of("webhook_deliveries",
				this.ingest.pruneWebhookDeliveries(now.minus(this.properties.webhookDeliveryRetention()), batch)));
		step(freed, failed, "rollups", () -> Map.of("rollups",
				this.quality.pruneRollups(now.minus(this.properties.rollupRetention()), batch)));
		step(freed, failed, "segments", () -> {
			try {
				IndexStorage.Swept swept = this.storage.sweepSegmentStore(this.versions.checksums(), graceCutoff);
				return Map.of("store_manifests", swept.manifests(), "store_files", swept.files(), "store_bytes",
						swept.bytes());
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		freed.forEach((kind, count) -> counter(kind).increment(count));
		log.info("Garbage collection freed {} in {} ms{}", freed, (System.nanoTime() - started) / 1_000_000,
				failed.isEmpty() ? "" : "; failed: " + failed);
		return freed;
	}

	private void step(Map<String, Long> freed, List<String> failed, String name, Supplier<Map<String, Long>> work) {
		try {
			work.get().forEach((kind, count) -> freed.merge(kind, count, Long::sum));
		}
		catch (RuntimeException ex) {
			failed.add(name);
			log.warn("Garbage collection step {} failed ({}); the next run retries it", name,
					ex.getClass().getSimpleName());
		}
	}

	private Counter counter(String kind) {
		return Counter.builder("brain.gc.freed")
			.description("What garbage collection deleted, by kind")
			.tag("kind", kind)
			.register(this.meters);
	}

}
