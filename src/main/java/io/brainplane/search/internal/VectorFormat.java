package io.brainplane.search.internal;

import java.io.IOException;
import java.util.concurrent.ExecutorService;

import io.brainplane.index.IndexProperties;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW vector format (float32, or int8 scalar-quantized) with room for longer
 * vectors than its default limit of 1024 dimensions (OpenAI's text-embedding-3 models
 * give 1536 and 3072). It writes exactly what the standard format writes, under the
 * standard format's name, so an index is read back by the standard format whatever its
 * encoding. Local indexes are written with {@link BrainCodec}, which wraps this codec.
 */
public final class VectorFormat extends KnnVectorsFormat {

	/** Longest vector accepted. */
	static final int MAX_DIMENSIONS = 4096;

	private final KnnVectorsFormat delegate;

	private VectorFormat(KnnVectorsFormat delegate) {
		super(delegate.getName());
		this.delegate = delegate;
	}

	/** The default codec, with float32 HNSW vectors for every field. */
	static Codec codec() {
		return codec(IndexProperties.VectorEncoding.FLOAT32);
	}

	/** The default codec, with HNSW vectors so encoded for every field. */
	static Codec codec(IndexProperties.VectorEncoding encoding) {
		return codec(encoding, 1, null);
	}

	/**
	 * The default codec, with HNSW vectors so encoded for every field, whose merges build
	 * the merged graph with several threads. The graph written is the same kind (and
	 * format) whatever the number: only the writing is parallel.
	 * @param mergeWorkers threads inserting vectors into a merged segment's graph
	 * @param mergeExecutor where they run; null when {@code mergeWorkers} is 1
	 */
	static Codec codec(IndexProperties.VectorEncoding encoding, int mergeWorkers, ExecutorService mergeExecutor) {
		ExecutorService executor = (mergeWorkers > 1) ? mergeExecutor : null;
		int workers = (executor != null) ? mergeWorkers : 1;
		VectorFormat format = new VectorFormat(switch (encoding) {
			case FLOAT32 -> new Lucene99HnswVectorsFormat(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
					Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH, workers, executor);
			// 7 bits: Lucene's default, signed bytes; the float vectors stay on disk for
			// merging and re-scoring
			case INT8 -> new Lucene99HnswScalarQuantizedVectorsFormat(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
					Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH, workers, 7, false, null, executor);
		});
		return new Lucene912Codec() {
			@Override
			public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
				return format;
			}
		};
	}

	@Override
	public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
		return this.delegate.fieldsWriter(state);
	}

	@Override
	public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
		return this.delegate.fieldsReader(state);
	}

	@Override
	public int getMaxDimensions(String fieldName) {
		return MAX_DIMENSIONS;
	}

}
