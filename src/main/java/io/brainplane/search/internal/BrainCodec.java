package io.brainplane.search.internal;

import java.io.IOException;
import java.util.concurrent.ExecutorService;

import io.brainplane.index.IndexProperties;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.compressing.CompressionMode;
import org.apache.lucene.codecs.compressing.Compressor;
import org.apache.lucene.codecs.compressing.Decompressor;
import org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsFormat;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.compress.LZ4;

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
 * reader reads any. Blocks are decompressed from a copy on the heap ({@link HeapLZ4}),
 * not read literal by literal from the mapped file.
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
			STORED_FIELDS_FORMAT, HeapLZ4.MODE, BLOCK_BYTES, BLOCK_DOCS, 10);

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

	/**
	 * Lucene's {@link CompressionMode#FAST} (LZ4; the same compressor, so the same bytes
	 * on disk), with a decompressor that first copies the block's compressed bytes from
	 * the index file into a buffer of its own in one read, then decompresses from there.
	 * Lucene's decompresses straight from the memory-mapped file, one read per literal
	 * run of a few bytes, and on Java 17 each such read of a mapped buffer pays its
	 * bounds and scope checks: those reads were ~17 % of a lexical search's CPU
	 * (docs/performance.md). The copy is bounded by LZ4's worst case for the block's
	 * length and by the file's end, and the file is left positioned just after what was
	 * decompressed, as Lucene's decompressor leaves it (a document larger than a block is
	 * read slice by slice from that position).
	 */
	static final class HeapLZ4 extends Decompressor {

		static final CompressionMode MODE = new CompressionMode() {

			@Override
			public Compressor newCompressor() {
				return CompressionMode.FAST.newCompressor();
			}

			@Override
			public Decompressor newDecompressor() {
				return new HeapLZ4();
			}

			@Override
			public String toString() {
				return "FAST, decompressed from the heap";
			}

		};

		private final Decompressor lucene = CompressionMode.FAST.newDecompressor();

		private final ByteArrayDataInput compressed = new ByteArrayDataInput();

		private byte[] buffer = BytesRef.EMPTY_BYTES;

		@Override
		public void decompress(DataInput in, int originalLength, int offset, int length, BytesRef bytes)
				throws IOException {
			if (!(in instanceof IndexInput file)) {
				this.lucene.decompress(in, originalLength, offset, length, bytes);
				return;
			}
			long start = file.getFilePointer();
			// LZ4 never needs more than this for originalLength bytes
			int copied = (int) Math.min(file.length() - start, originalLength + originalLength / 255L + 16);
			if (this.buffer.length < copied) {
				this.buffer = new byte[ArrayUtil.oversize(copied, 1)];
			}
			file.readBytes(this.buffer, 0, copied);
			this.compressed.reset(this.buffer, 0, copied);
			// as CompressionMode.FAST's decompressor: 7 bytes of padding, lengths checked
			if (bytes.bytes.length < originalLength + 7) {
				bytes.bytes = new byte[ArrayUtil.oversize(originalLength + 7, 1)];
			}
			int decompressed = LZ4.decompress(this.compressed, offset + length, bytes.bytes, 0);
			if (decompressed > originalLength) {
				throw new CorruptIndexException("Corrupted: lengths mismatch: " + decompressed + " > " + originalLength,
						in);
			}
			file.seek(start + this.compressed.getPosition());
			bytes.offset = offset;
			bytes.length = length;
		}

		@Override
		public Decompressor clone() {
			return new HeapLZ4();
		}

	}

}
