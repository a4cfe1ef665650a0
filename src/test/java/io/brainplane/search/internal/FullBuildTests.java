package io.brainplane.search.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.brainplane.index.IndexProperties;
import io.brainplane.index.IndexableChunk;
import io.brainplane.index.VersionChunks;
import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchHit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full build indexes with several threads (each its own segments and HNSW graphs) and
 * merges their graphs with several threads: the index holds every chunk once, in the same
 * codec, and answers searches as a one-thread build's does; a failure on either side (the
 * chunk stream, an indexing thread) fails the build without leaving threads or files
 * behind.
 */
class FullBuildTests {

	private static final int CHUNKS = 3000;

	private static final int DIM = 16;

	@TempDir
	Path dir;

	private final QueryFactory queries = new QueryFactory(256);

	@Test
	void severalThreadsIndexEveryChunkOnceAndSearchAsOneThreadDoes() throws IOException {
		Path one = this.dir.resolve("one");
		Path three = this.dir.resolve("three");
		assertThat(builder(new Chunks(CHUNKS, -1, -1), 1).build(ref(), one, true)).isEqualTo(IndexBuilder.Kind.FULL);
		assertThat(builder(new Chunks(CHUNKS, -1, -1), 3).build(ref(), three, true)).isEqualTo(IndexBuilder.Kind.FULL);
		assertThat(codecs(three)).containsOnly(BrainCodec.NAME);

		VersionIndex single = VersionIndex.open(ref(), one);
		VersionIndex parallel = VersionIndex.open(ref(), three);
		try {
			// merged to one segment (a small index), whose graph was merged from the
			// threads' segments
			assertThat(parallel.segmentCount()).isEqualTo(1);
			assertThat(parallel.chunkCount()).isEqualTo(CHUNKS);
			assertThat(parallel.vectorCount()).isEqualTo(CHUNKS);
			List<VersionIndex.Ranked> all = new ArrayList<>();
			for (int doc = 0; doc < CHUNKS; doc++) {
				all.add(new VersionIndex.Ranked(doc, 1, doc));
			}
			assertThat(parallel.hits(all, new float[CHUNKS]).stream().map(SearchHit::chunkId).distinct())
				.hasSize(CHUNKS)
				.allMatch((id) -> id >= 0 && id < CHUNKS);

			Chunks chunks = new Chunks(CHUNKS, -1, -1);
			for (int i = 0; i < CHUNKS; i += 97) {
				float[] vector = chunks.vector(i);
				assertThat(parallel.search(VersionIndex.nearest(vector, 10), 1, false).get(0).chunkId()).isEqualTo(i);
				assertThat(single.search(VersionIndex.nearest(vector, 10), 1, false).get(0).chunkId()).isEqualTo(i);
				assertThat(parallel.search(this.queries.create("unique" + i + "x"), 1, false).get(0).chunkId())
					.isEqualTo(i);
			}
			// BM25 over the same chunks in one segment: the same scores
			for (String word : List.of("river", "stone", "water otter")) {
				assertThat(scores(parallel, word)).isEqualTo(scores(single, word)).isNotEmpty();
			}
		}
		finally {
			single.close(false);
			parallel.close(false);
		}
	}

	@Test
	void anIndexSmallerThanTheSerialStartIsBuiltAsByOneThreadIdentically() throws IOException {
		Path one = this.dir.resolve("one");
		Path two = this.dir.resolve("two");
		builder(new Chunks(CHUNKS, -1, -1), 1, CHUNKS).build(ref(), one, true);
		builder(new Chunks(CHUNKS, -1, -1), 2, CHUNKS).build(ref(), two, true);
		// one indexing thread, so one segment written in stream order and never merged
		// (a merge would have written a segment after the threads' _0 and _1)
		try (FSDirectory directory = FSDirectory.open(two)) {
			SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
			assertThat(infos.asList()).extracting((info) -> info.info.name).containsExactly("_0");
		}
		// the same graph: the same nearest chunks with the same scores
		VersionIndex single = VersionIndex.open(ref(), one);
		VersionIndex small = VersionIndex.open(ref(), two);
		try {
			assertThat(small.segmentCount()).isEqualTo(1);
			Random random = new Random(7);
			for (int q = 0; q < 30; q++) {
				float[] vector = new Chunks(CHUNKS, -1, -1).vector(random.nextInt(CHUNKS) + CHUNKS);
				assertThat(small.search(VersionIndex.nearest(vector, 10), 10, false))
					.isEqualTo(single.search(VersionIndex.nearest(vector, 10), 10, false));
			}
		}
		finally {
			single.close(false);
			small.close(false);
		}
	}

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void aFailingChunkStreamFailsTheBuildAndStopsItsThreads() throws IOException {
		Path target = this.dir.resolve("failed");
		assertThatThrownBy(() -> builder(new Chunks(CHUNKS, 1500, -1), 2).build(ref(), target, true))
			.hasMessageContaining("the database went away");
		assertNothingLeft(target);
	}

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void aChunkAnIndexingThreadRefusesFailsTheBuildInsteadOfHangingIt() throws IOException {
		Path target = this.dir.resolve("refused");
		// a vector of another dimension: Lucene refuses it on the indexing thread
		assertThatThrownBy(() -> builder(new Chunks(CHUNKS, -1, 1200), 2).build(ref(), target, true))
			.hasMessageContaining("indexing failed")
			.hasRootCauseInstanceOf(IllegalArgumentException.class);
		assertNothingLeft(target);
	}

	@Test
	void aLargeIndexEndsWithAtMostOneSegmentPerBound() throws IOException {
		Path unbounded = this.dir.resolve("unbounded");
		Path bounded = this.dir.resolve("bounded");
		// a bound of one segment per byte: as many segments as the indexing threads left
		// (as a build over 256 MB did before the bound)
		builder(new Chunks(CHUNKS, -1, -1), 4).fullBuildSegmentBytes(1).build(ref(), unbounded, true);
		int left;
		long bytes;
		try (FSDirectory directory = FSDirectory.open(unbounded)) {
			SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
			left = infos.size();
			bytes = 0;
			for (SegmentCommitInfo info : infos) {
				bytes += info.sizeInBytes();
			}
		}
		assertThat(left).as("segments left by four indexing threads").isGreaterThanOrEqualTo(3);
		// one segment per 60 % of that size: at most two
		builder(new Chunks(CHUNKS, -1, -1), 4).fullBuildSegmentBytes(bytes * 6 / 10).build(ref(), bounded, true);
		VersionIndex index = VersionIndex.open(ref(), bounded);
		try {
			assertThat(index.segmentCount()).isBetween(1, 2);
			assertThat(index.chunkCount()).isEqualTo(CHUNKS);
			assertThat(index.vectorCount()).isEqualTo(CHUNKS);
			// every chunk's own vector still found first (a wide search: HNSW is
			// approximate: with 10 candidates per graph one chunk was missed once)
			Chunks chunks = new Chunks(CHUNKS, -1, -1);
			for (int i = 0; i < CHUNKS; i += 97) {
				assertThat(index.search(VersionIndex.nearest(chunks.vector(i), 100), 1, false).get(0).chunkId())
					.isEqualTo(i);
			}
		}
		finally {
			index.close(false);
		}
	}

	@Test
	void aFullBuildEndsWithAtMostOneSegmentPerGigabyte() {
		long mb = 1L << 20;
		long segment = IndexBuilder.FULL_BUILD_SEGMENT_BYTES;
		assertThat(IndexBuilder.segmentBound(0, segment)).isEqualTo(1);
		// 100,000 and 200,000 chunks with 384-dimension vectors (2 and 4 segments, not
		// merged, before the bound)
		assertThat(IndexBuilder.segmentBound(270 * mb, segment)).isEqualTo(1);
		assertThat(IndexBuilder.segmentBound(540 * mb, segment)).isEqualTo(1);
		assertThat(IndexBuilder.segmentBound(1024 * mb, segment)).isEqualTo(1);
		assertThat(IndexBuilder.segmentBound(1024 * mb + 1, segment)).isEqualTo(2);
		// 1,000,000 chunks (2.6 GiB, 12 segments before the bound)
		assertThat(IndexBuilder.segmentBound(2636 * mb, segment)).isEqualTo(3);
	}

	@Test
	void theIndexingBufferGrowsWithTheThreadsWithinAQuarterOfTheHeap() {
		assertThat(IndexBuilder.fullBuildBufferMB(1, 8L << 30)).isEqualTo(128);
		assertThat(IndexBuilder.fullBuildBufferMB(2, 8L << 30)).isEqualTo(256);
		assertThat(IndexBuilder.fullBuildBufferMB(2, 1L << 30)).isEqualTo(256);
		assertThat(IndexBuilder.fullBuildBufferMB(4, 1L << 30)).isEqualTo(256);
		assertThat(IndexBuilder.fullBuildBufferMB(4, 256L << 20)).isEqualTo(128);
	}

	private void assertNothingLeft(Path target) throws IOException {
		assertThat(target).doesNotExist();
		try (Stream<Path> files = Files.list(this.dir)) {
			assertThat(files).isEmpty();
		}
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.isAlive() && (thread.getName().startsWith("brain-index-writer-")
					|| thread.getName().startsWith("brain-index-merge-")));
	}

	private List<Float> scores(VersionIndex index, String query) throws IOException {
		return index.search(this.queries.create(query), 50, false).stream().map(SearchHit::score).toList();
	}

	private static VersionRef ref() {
		return new VersionRef(1, "c");
	}

	/** A builder that starts every thread after 500 chunks (5,000 by default). */
	private static IndexBuilder builder(VersionChunks chunks, int threads) {
		return builder(chunks, threads, 500);
	}

	private static IndexBuilder builder(VersionChunks chunks, int threads, long serialFirst) {
		return new IndexBuilder(chunks, null,
				new IndexProperties(3, Duration.ofSeconds(1),
						new IndexProperties.KeepVersions(20, null, Duration.ofDays(7)), true, 0.3,
						IndexProperties.VectorEncoding.FLOAT32, IndexProperties.SegmentStoreKind.NONE, null, threads),
				new SimpleMeterRegistry())
			.serialFirstChunks(serialFirst);
	}

	private static List<String> codecs(Path path) throws IOException {
		List<String> names = new ArrayList<>();
		try (FSDirectory directory = FSDirectory.open(path)) {
			for (SegmentCommitInfo info : SegmentInfos.readLatestCommit(directory)) {
				names.add(info.info.getCodec().getName());
			}
		}
		return names;
	}

	/**
	 * Chunks with a word of their own and random unit vectors.
	 *
	 * @param failAt the stream fails there (-1: never)
	 * @param badVectorAt that chunk's vector has another dimension (-1: none)
	 */
	private record Chunks(int count, int failAt, int badVectorAt) implements VersionChunks {

		@Override
		public Optional<String> embeddingModel(long version) {
			return Optional.of("test");
		}

		float[] vector(int i) {
			Random random = new Random(i);
			float[] vector = new float[(i == this.badVectorAt) ? DIM + 1 : DIM];
			double norm = 0;
			for (int d = 0; d < vector.length; d++) {
				vector[d] = (float) random.nextGaussian();
				norm += vector[d] * vector[d];
			}
			for (int d = 0; d < vector.length; d++) {
				vector[d] /= (float) Math.sqrt(norm);
			}
			return vector;
		}

		@Override
		public void forEachChunk(long version, Consumer<IndexableChunk> consumer) {
			String[] words = { "river", "stone", "water", "otter", "bank", "reed" };
			for (int i = 0; i < this.count; i++) {
				if (i == this.failAt) {
					throw new IllegalStateException("the database went away");
				}
				StringBuilder text = new StringBuilder("Chunk unique" + i + "x.");
				for (int w = 0; w < 20 + i % 7; w++) {
					text.append(' ').append(words[(i * 7 + w * 3) % words.length]);
				}
				consumer.accept(new IndexableChunk(i, "doc-" + (i / 3), i % 3, "Title " + (i / 3), text.toString(),
						null, "{}", vector(i)));
			}
		}

		@Override
		public void forEachChunkNotIn(long version, long base, Consumer<IndexableChunk> consumer) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Change change(long version, long base) {
			return new Change(List.of(), 0, 0);
		}

	}

}
