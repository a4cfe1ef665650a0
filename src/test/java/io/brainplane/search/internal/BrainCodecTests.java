package io.brainplane.search.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.brainplane.index.IndexProperties;
import io.brainplane.index.IndexableChunk;
import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchHit;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local indexes are written with {@link BrainCodec} (stored fields in small blocks, read
 * back through its own LZ4 decompressor), and indexes written before it (Lucene's default
 * codec, on disk and in segment stores) stay readable, also as the base of an incremental
 * build that mixes both kinds of segments.
 */
class BrainCodecTests {

	@TempDir
	Path dir;

	private final QueryFactory queries = new QueryFactory(256);

	@Test
	void anIndexWrittenWithLucenesDefaultCodecStaysReadableAndTakesNewSegmentsInTheNewCodec() throws IOException {
		Path path = this.dir.resolve("index");
		// What every build wrote before BrainCodec: Lucene's default codec.
		write(path, IndexWriterConfig.OpenMode.CREATE, new Lucene912Codec(), 0, 120);
		assertThat(codecs(path)).containsExactly("Lucene912");

		// An incremental build on it: the base's segment stays as it is, new chunks are
		// written in the new codec.
		write(path, IndexWriterConfig.OpenMode.APPEND, BrainCodec.writing(IndexProperties.VectorEncoding.FLOAT32), 120,
				30);
		assertThat(codecs(path)).containsExactly("Lucene912", BrainCodec.NAME);
		assertEveryChunkReadsBack(path, 150);
		assertFound(path, "word7x", 7);
		assertFound(path, "word131x", 131);

		// A merge rewrites both into the new codec.
		try (FSDirectory directory = FSDirectory.open(path);
				IndexWriter writer = new IndexWriter(directory, config(IndexWriterConfig.OpenMode.APPEND,
						BrainCodec.writing(IndexProperties.VectorEncoding.FLOAT32)))) {
			writer.forceMerge(1);
			writer.commit();
		}
		assertThat(codecs(path)).containsExactly(BrainCodec.NAME);
		assertEveryChunkReadsBack(path, 150);
	}

	@Test
	void lucenesFindsTheCodecByTheNameItWritesInEverySegment() {
		assertThat(Codec.availableCodecs()).contains("Lucene912", BrainCodec.NAME);
		assertThat(Codec.forName(BrainCodec.NAME)).isInstanceOf(BrainCodec.class);
		assertThat(BrainCodec.writing(IndexProperties.VectorEncoding.INT8).getName()).isEqualTo(BrainCodec.NAME);
	}

	@Test
	void int8VectorsWrittenInTheNewCodecAreReadBackBySearchesByMeaning() throws IOException {
		Path path = this.dir.resolve("int8");
		write(path, IndexWriterConfig.OpenMode.CREATE, BrainCodec.writing(IndexProperties.VectorEncoding.INT8), 0, 40);
		VersionIndex index = VersionIndex.open(new VersionRef(1, "c"), path);
		try {
			List<SearchHit> hits = index.search(VersionIndex.nearest(vector(17), 3), 3, false);
			assertThat(hits).isNotEmpty();
			assertThat(hits.get(0).chunkId()).isEqualTo(17);
			assertThat(hits.get(0).text()).isEqualTo(text(17));
		}
		finally {
			index.close(false);
		}
	}

	@Test
	void chunksOfAnySizeAndAnyTextReadBackThroughTheHeapDecompressorInAnyOrder() throws IOException {
		Path path = this.dir.resolve("sizes");
		Random random = new Random(29);
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			// empty to ~120 kB (documents larger than a block are stored in slices), text
			// LZ4 shrinks and random text it cannot (its worst case), last ones at the
			// file's end
			int length = switch (i % 5) {
				case 0 -> random.nextInt(40);
				case 1, 2 -> 500 + random.nextInt(3_000);
				case 3 -> random.nextInt(12_000);
				default -> (i % 25 == 4) ? 60_000 + random.nextInt(60_000) : random.nextInt(5_000);
			};
			StringBuilder text = new StringBuilder(length);
			boolean noise = (i % 3 == 0);
			while (text.length() < length) {
				text.append(noise ? (char) (0x20 + random.nextInt(0x2000)) : " water and stones " + random.nextInt(50));
			}
			texts.add(text.toString());
		}
		// two segments merged into one (the merge copies compressed blocks as they are)
		for (int segment = 0; segment < 2; segment++) {
			try (FSDirectory directory = FSDirectory.open(path);
					IndexWriter writer = new IndexWriter(directory,
							config((segment == 0) ? IndexWriterConfig.OpenMode.CREATE
									: IndexWriterConfig.OpenMode.APPEND,
									BrainCodec.writing(IndexProperties.VectorEncoding.FLOAT32)))) {
				for (int i = segment * 200; i < (segment + 1) * 200; i++) {
					writer.addDocument(IndexBuilder
						.document(new IndexableChunk(i, "doc-" + i, 0, null, texts.get(i), null, "{}", null)));
				}
				if (segment == 1) {
					writer.forceMerge(1);
				}
				writer.commit();
			}
		}
		VersionIndex index = VersionIndex.open(new VersionRef(1, "sizes"), path);
		try {
			assertThat(index.segmentCount()).isEqualTo(1);
			List<VersionIndex.Ranked> shuffled = new ArrayList<>();
			for (int doc = 0; doc < texts.size(); doc++) {
				shuffled.add(new VersionIndex.Ranked(doc, 1, doc));
			}
			for (int round = 0; round < 3; round++) {
				Collections.shuffle(shuffled, random);
				for (SearchHit hit : index.hits(shuffled, new float[shuffled.size()])) {
					assertThat(hit.text()).isEqualTo(texts.get((int) hit.chunkId()));
					assertThat(hit.documentKey()).isEqualTo("doc-" + hit.chunkId());
				}
			}
		}
		finally {
			index.close(false);
		}
	}

	private static void write(Path path, IndexWriterConfig.OpenMode mode, Codec codec, int from, int count)
			throws IOException {
		try (FSDirectory directory = FSDirectory.open(path);
				IndexWriter writer = new IndexWriter(directory, config(mode, codec))) {
			for (int i = from; i < from + count; i++) {
				writer.addDocument(IndexBuilder.document(chunk(i)));
			}
			writer.commit();
		}
	}

	private static IndexWriterConfig config(IndexWriterConfig.OpenMode mode, Codec codec) {
		IndexWriterConfig config = new IndexWriterConfig(BrainAnalyzers.forIndexing());
		config.setOpenMode(mode);
		config.setCodec(codec);
		config.setUseCompoundFile(false);
		return config;
	}

	private static IndexableChunk chunk(int i) {
		return new IndexableChunk(i, "doc-" + (i / 3), i % 3, "Title " + i, text(i), "source-" + i, "{\"n\":" + i + "}",
				vector(i));
	}

	/** About 1,000 characters, with a word of its own. */
	private static String text(int i) {
		StringBuilder text = new StringBuilder("Chunk word" + i + "x about otters and rivers.");
		for (int j = 0; text.length() < 1000; j++) {
			text.append(" Sentence ").append(j).append(" of chunk ").append(i).append(" tells of water and stones.");
		}
		return text.toString();
	}

	/** Unit length, one direction per chunk, far from the others' (cosine below 0.96). */
	private static float[] vector(int i) {
		double a = i * 0.15;
		double b = i * 0.4;
		float half = (float) Math.sqrt(0.5);
		return new float[] { half * (float) Math.cos(a), half * (float) Math.sin(a), half * (float) Math.cos(b),
				half * (float) Math.sin(b) };
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

	private static void assertEveryChunkReadsBack(Path path, int count) throws IOException {
		VersionIndex index = VersionIndex.open(new VersionRef(1, "c"), path);
		try {
			assertThat(index.chunkCount()).isEqualTo(count);
			List<VersionIndex.Ranked> all = new ArrayList<>();
			for (int doc = 0; doc < count; doc++) {
				all.add(new VersionIndex.Ranked(doc, 1, doc));
			}
			List<SearchHit> hits = index.hits(all, new float[count]);
			for (SearchHit hit : hits) {
				int i = (int) hit.chunkId();
				assertThat(hit).isEqualTo(new SearchHit("doc-" + (i / 3), "Title " + i, i, 0, text(i), "source-" + i,
						"{\"n\":" + i + "}"));
			}
			assertThat(hits.stream().map(SearchHit::chunkId).distinct()).hasSize(count);
		}
		finally {
			index.close(false);
		}
	}

	private void assertFound(Path path, String word, int chunk) throws IOException {
		VersionIndex index = VersionIndex.open(new VersionRef(1, "c"), path);
		try {
			List<SearchHit> hits = index.search(this.queries.create(word), 10, false);
			assertThat(hits).isNotEmpty();
			assertThat(hits.get(0).chunkId()).isEqualTo(chunk);
			assertThat(hits.get(0).text()).isEqualTo(text(chunk));
		}
		finally {
			index.close(false);
		}
	}

}
