package io.brainplane.search.internal;

import java.util.concurrent.ExecutorService;

import io.brainplane.index.IndexProperties;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.compressing.CompressionMode;
import org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsFormat;

/**
 * The codec local indexes are written with: Lucene's default codec (with
 * {@link VectorFormat}'s longer vectors) but stored fields in small LZ4 blocks without a
 * preset dictionary.
 * <p>
 * A search reads the stored fields of each result it returns. Lucene's default packs them
 * in blocks of 80 kB (ten sub-blocks of 8 kB behind a shared dictionary), so every result
 * decompresses the dictionary and at least one 8 kB sub-block to read a chunk of about 1
 * kB; that was two thirds of the engine's time per search (see docs/performance.md). Here
 * a block is cut once it holds {@link #BLOCK_BYTES} (one or two chunks of ingestion's
 * size) and is decompressed up to the chunk asked for: reading 10 results takes about a
 * quarter of the CPU ({@code StoredFieldsBenchmark}), for stored fields about 30 % larger
 * (LZ4 has less text to find repeats in). Block sizes are the writer's choice only: the
 * reader reads any.
 * <p>
 * Segments carry the name of the codec that wrote them and Lucene finds it through SPI
 * ({@code META-INF/services/org.apache.lucene.codecs.Codec}), so indexes written before
 * this codec existed ({@code Lucene912}) stay readable, and an incremental build on such
 * a base mixes both kinds of segments; merging rewrites them in this codec. The name and
 * the stored-fields format name are part of the on-disk format: never change them, add a
 * new codec instead.
 */
public final class BrainCodec extends FilterCodec {

	/** The codec's name, written in every segment it writes. */
	public static final String NAME = "Brainplane912";

	/** Format name in the stored-fields files' headers. */
	static final String STORED_FIELDS_FORMAT = "BrainplaneStoredFieldsLZ4Small";

	/**
	 * Uncompressed bytes a stored-fields block is cut at (a block ends with the chunk
	 * that crosses it).
	 */
	static final int BLOCK_BYTES = 2 * 1024;

	/** Most chunks in one block. */
	private static final int BLOCK_DOCS = 64;

	private static final StoredFieldsFormat STORED_FIELDS = new Lucene90CompressingStoredFieldsFormat(
			STORED_FIELDS_FORMAT, CompressionMode.FAST, BLOCK_BYTES, BLOCK_DOCS, 10);

	/** For Lucene's SPI, which reads segments: vectors of either encoding are read. */
	public BrainCodec() {
		this(IndexProperties.VectorEncoding.FLOAT32, 1, null);
	}

	private BrainCodec(IndexProperties.VectorEncoding encoding, int mergeWorkers, ExecutorService mergeExecutor) {
		super(NAME, VectorFormat.codec(encoding, mergeWorkers, mergeExecutor));
	}

	/** The codec that writes HNSW vectors so encoded. */
	static Codec writing(IndexProperties.VectorEncoding encoding) {
		return new BrainCodec(encoding, 1, null);
	}

	/**
	 * The codec that writes HNSW vectors so encoded, and builds a merged segment's graph
	 * with {@code mergeWorkers} threads of the executor (what it writes is the same).
	 */
	static Codec writing(IndexProperties.VectorEncoding encoding, int mergeWorkers, ExecutorService mergeExecutor) {
		return new BrainCodec(encoding, mergeWorkers, mergeExecutor);
	}

	@Override
	public StoredFieldsFormat storedFieldsFormat() {
		return STORED_FIELDS;
	}

}
