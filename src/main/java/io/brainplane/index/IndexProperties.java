package io.brainplane.index;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code brain.index}, in one record: versions and replica
 * synchronisation (this module), and how each replica builds its local indexes (the
 * search module, which depends on this one).
 *
 * @param keepPrevious how many previously active versions (and how many sealed, never
 * activated ones) each replica keeps open beside the active one, so that a rollback to
 * them is a reference swap
 * @param pollInterval how often a replica checks the active pointer when no notification
 * arrives (the fallback when LISTEN/NOTIFY is interrupted)
 * @param keepVersions which versions the garbage collector keeps in the database
 * @param incremental build a version whose base's index is on this replica from the
 * base's segment files (hard links) plus the changed documents, instead of from scratch
 * @param rebuildDeletedRatio an incremental build is replaced by a full one when more
 * than this fraction of the resulting index's chunks would be deleted ones (they cost
 * disk, memory and a little BM25 precision until merged away)
 * @param vectorEncoding how vectors are held in the HNSW graph: {@code float32}, or
 * {@code int8} (scalar-quantized, a quarter of the memory; the float vectors stay on
 * disk)
 * @param segmentStore where built segment files are shared between replicas:
 * {@code none}, {@code filesystem} or {@code s3}
 * @param segmentStorePath the directory of a {@code filesystem} segment store
 * @param buildThreads threads a full build of a local index indexes chunks with (each
 * builds its own segments' HNSW graphs), and that build a merged segment's graph; 0 (the
 * default) is one per processor
 */
@Validated
@ConfigurationProperties("brain.index")
public record IndexProperties(@DefaultValue("3") @Min(0) @Max(50) int keepPrevious,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue @Valid KeepVersions keepVersions,
		@DefaultValue("true") boolean incremental,
		@DefaultValue("0.3") @DecimalMin("0.0") @DecimalMax("1.0") double rebuildDeletedRatio,
		@DefaultValue("float32") VectorEncoding vectorEncoding, @DefaultValue("none") SegmentStoreKind segmentStore,
		@Nullable Path segmentStorePath, @DefaultValue("0") @Min(0) @Max(64) int buildThreads) {

	/** {@link #buildThreads()}, with 0 resolved to the number of processors. */
	public int effectiveBuildThreads() {
		return (this.buildThreads > 0) ? this.buildThreads : Math.max(1, Runtime.getRuntime().availableProcessors());
	}

	/**
	 * How many sealed versions are kept, and for how long. The active version and the
	 * version a rollback goes back to are always kept, whatever the limits.
	 *
	 * @param count the newest sealed versions kept (by version number); 0 keeps every one
	 * @param maxAge sealed versions neither sealed nor active for longer than this are
	 * deleted even when within {@code count}; unset keeps them regardless of age
	 * @param buildingMaxAge {@code BUILDING} versions created longer ago than this and
	 * with no ingestion job queued or running (abandoned builds, failed deliveries) are
	 * deleted
	 */
	public record KeepVersions(@DefaultValue("20") @Min(0) int count, @Nullable Duration maxAge,
			@DefaultValue("7d") Duration buildingMaxAge) {
	}

	/** Where segment files are shared. */
	public enum SegmentStoreKind {

		NONE, FILESYSTEM, S3

	}

	/** How vectors are stored in the HNSW graph. */
	public enum VectorEncoding {

		/** Four bytes a dimension: exact. */
		FLOAT32,
		/**
		 * One byte a dimension in the graph (7-bit scalar quantization, Lucene's
		 * default), a quarter of the memory searches touch; the float vectors stay on
		 * disk for merges.
		 */
		INT8

	}

}
