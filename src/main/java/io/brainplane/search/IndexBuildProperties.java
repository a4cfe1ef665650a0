package io.brainplane.search;

import java.nio.file.Path;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * How this replica builds its local indexes.
 *
 * @param incremental build a version whose base's index is on this replica from the
 * base's segment files (hard links) plus the changed documents, instead of from scratch
 * @param rebuildDeletedRatio an incremental build is replaced by a full one when more
 * than this fraction of the resulting index's chunks would be deleted ones (they cost
 * disk, memory and a little BM25 precision until merged away)
 * @param vectorEncoding how vectors are held in the HNSW graph: {@code float32}, or
 * {@code int8} (scalar-quantized, a quarter of the memory; the float vectors stay on
 * disk)
 */
@Validated
@ConfigurationProperties("brain.index")
public record IndexBuildProperties(@DefaultValue("true") boolean incremental,
		@DefaultValue("0.3") @DecimalMin("0.0") @DecimalMax("1.0") double rebuildDeletedRatio,
		@DefaultValue("float32") VectorEncoding vectorEncoding, @DefaultValue("none") SegmentStoreKind segmentStore,
		@Nullable Path segmentStorePath) {

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
