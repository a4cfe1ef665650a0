package io.brainplane.search.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import io.brainplane.index.IndexProperties;
import io.brainplane.index.IndexVersion;
import io.brainplane.index.IndexableChunk;
import io.brainplane.index.VersionChunks;
import io.brainplane.index.VersionRef;
import io.brainplane.index.VersionLookup;
import io.brainplane.platform.StepTimings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Builds a version's local index (BM25 fields, and an HNSW graph of the chunk vectors
 * when the version has a model) in a temporary directory and renames it into place, so a
 * directory under its final name is always complete.
 * <p>
 * When the version's base has a local index with the same embedding model, the build is
 * <em>incremental</em>: it starts from hard links to the base's segment files (Lucene
 * never changes a file once written), deletes the chunks of the documents the version
 * changed or removed, adds the chunks of its changed and new documents as new segments
 * and commits. Its merges touch only small segments, so the base's large ones are shared
 * on disk by every version built on them. Otherwise (a first version, a changed model, a
 * base not on this replica, too many deleted chunks, or an operator's rebuild) it is a
 * <em>full</em> build: every chunk streamed from PostgreSQL and indexed by
 * {@code brain.index.build-threads} threads (each fills its own segments and builds their
 * HNSW graphs, most of a build's time), under a merge policy that writes no segment above
 * 1 GB and merges that build the merged graph with as many threads; it ends merged to at
 * most one segment per GB (each search runs an HNSW search per segment).
 */
@Component
public class IndexBuilder {

	private static final Logger log = LoggerFactory.getLogger(IndexBuilder.class);

	/** Commit user data: the version the index was built on, when incremental. */
	public static final String BASE_KEY = "base_version";

	/** Segments up to this size may always be merged by an incremental build. */
	private static final long SMALL_SEGMENT_BYTES = 8L << 20;

	private static final int DELETE_BATCH = 1024;

	/**
	 * A full build ends merged to at most one segment per this many bytes (rounded up: an
	 * index up to 1 GB to one segment). Its indexing threads and the merge policy leave
	 * about one segment per 130 MB (4 at 200,000 chunks with 384-dimension vectors, 12 at
	 * 1M); a search runs one HNSW search per segment, and a graph of a quarter the size
	 * costs far more than a quarter of the search, so fewer segments cut a search's CPU
	 * about in proportion. The merges that get there keep each merged segment's largest
	 * input graph and insert the other inputs' vectors into it, with every build thread:
	 * at most about one more insertion per vector.
	 */
	static final long FULL_BUILD_SEGMENT_BYTES = 1L << 30;

	/**
	 * A full build indexes this many chunks with one thread before starting the others: a
	 * smaller index is built as by one thread (one segment, no merge), since merging the
	 * threads' segments into one would cost more than the threads save.
	 */
	static final long SERIAL_FIRST_CHUNKS = 5_000;

	/** Indexing buffer of one indexing thread. */
	private static final int RAM_BUFFER_MB = 128;

	/** No merge of a full build writes a segment larger than this. */
	private static final double MAX_MERGED_SEGMENT_MB = 1024;

	private final VersionChunks chunks;

	private final VersionLookup versions;

	private final IndexProperties properties;

	private final Timer fullBuilds;

	private final Timer incrementalBuilds;

	private long serialFirstChunks = SERIAL_FIRST_CHUNKS;

	private long fullBuildSegmentBytes = FULL_BUILD_SEGMENT_BYTES;

	public IndexBuilder(VersionChunks chunks, VersionLookup versions, IndexProperties properties,
			MeterRegistry meters) {
		this.chunks = chunks;
		this.versions = versions;
		this.properties = properties;
		this.fullBuilds = buildTimer(meters, "full");
		this.incrementalBuilds = buildTimer(meters, "incremental");
	}

	/**
	 * Sets {@link #SERIAL_FIRST_CHUNKS} (tests build small indexes with every thread).
	 */
	IndexBuilder serialFirstChunks(long chunks) {
		this.serialFirstChunks = chunks;
		return this;
	}

	/**
	 * Sets {@link #FULL_BUILD_SEGMENT_BYTES} (tests bound small indexes).
	 */
	IndexBuilder fullBuildSegmentBytes(long bytes) {
		this.fullBuildSegmentBytes = bytes;
		return this;
	}

	private static Timer buildTimer(MeterRegistry meters, String kind) {
		return Timer.builder("brain.index.build")
			.description("Local index builds of this replica, by kind")
			.tag("kind", kind)
			.register(meters);
	}

	/** Builds the version's index, incrementally when its base allows. */
	public void build(VersionRef ref, Path target) throws IOException {
		build(ref, target, false);
	}

	/**
	 * @param full build from scratch whatever the base
	 * @return how it was built
	 */
	public Kind build(VersionRef ref, Path target, boolean full) throws IOException {
		return buildDetailed(ref, target, full).kind();
	}

	/**
	 * {@link #build(VersionRef, Path, boolean)}, telling how it went.
	 */
	public Built buildDetailed(VersionRef ref, Path target, boolean full) throws IOException {
		long started = System.nanoTime();
		StepTimings steps = new StepTimings();
		Path temporary = target.resolveSibling(".tmp-" + ref.directoryName() + "-" + UUID.randomUUID());
		Optional<String> model = this.chunks.embeddingModel(ref.version());
		Kind kind;
		Set<String> synced = ConcurrentHashMap.newKeySet();
		try {
			Optional<Base> base = (full || !this.properties.incremental()) ? Optional.empty()
					: steps.time("base", () -> base(ref, target.getParent(), model));
			Set<String> linked = base.isPresent() ? steps.time("link", () -> linked(base.get().path(), temporary))
					: null;
			if (linked != null) {
				incremental(ref, base.get(), temporary, model, linked, synced, steps);
				kind = Kind.INCREMENTAL;
			}
			else {
				FileSystemUtils.deleteRecursively(temporary);
				full(ref, temporary, model, synced, steps);
				kind = Kind.FULL;
			}
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
				// Built concurrently by another process sharing the data directory: same
				// content.
				FileSystemUtils.deleteRecursively(temporary);
			}
		}
		catch (IOException | RuntimeException ex) {
			FileSystemUtils.deleteRecursively(temporary);
			throw ex;
		}
		long nanos = System.nanoTime() - started;
		((kind == Kind.FULL) ? this.fullBuilds : this.incrementalBuilds).record(java.time.Duration.ofNanos(nanos));
		log.info("Built local index of version {} ({}) in {} ms ({}; {} files synced)", ref.version(),
				kind.name().toLowerCase(), nanos / 1_000_000, steps, synced.size());
		return new Built(kind, Set.copyOf(synced), steps.toString());
	}

	private void full(VersionRef ref, Path temporary, Optional<String> model, Set<String> synced, StepTimings steps)
			throws IOException {
		int threads = this.properties.effectiveBuildThreads();
		long[] count = { 0, 0 };
		int[] indexers = { 0 };
		// A merged segment's HNSW graph starts from its largest input's graph and inserts
		// the other inputs' vectors: with more than one thread, they are inserted in
		// parallel.
		ExecutorService graphWorkers = (threads > 1)
				? Executors.newFixedThreadPool(threads, daemonThreads("brain-index-merge-")) : null;
		TimedMergeScheduler scheduler = new TimedMergeScheduler();
		IndexWriterConfig config = config(IndexWriterConfig.OpenMode.CREATE, threads, graphWorkers);
		config.setRAMBufferSizeMB(fullBuildBufferMB(threads, Runtime.getRuntime().maxMemory()));
		config.setMergeScheduler(scheduler);
		TieredMergePolicy merges = new TieredMergePolicy();
		merges.setMaxMergedSegmentMB(MAX_MERGED_SEGMENT_MB);
		config.setMergePolicy(merges);
		int bound;
		int segments;
		FSDirectory fs = FSDirectory.open(temporary);
		try (Directory directory = new SyncNewFilesOnly(fs, Set.of(), synced);
				IndexWriter writer = new IndexWriter(directory, config)) {
			steps.io("add", () -> {
				try (ParallelIndexing indexing = new ParallelIndexing(writer, threads, this.serialFirstChunks,
						daemonThreads("brain-index-writer-"))) {
					long started = System.nanoTime();
					this.chunks.forEachChunk(ref.version(), (chunk) -> {
						indexing.add(document(chunk));
						count[0]++;
						count[1] += (chunk.vector() != null) ? 1 : 0;
					});
					long read = System.nanoTime() - started - indexing.waitingNanos();
					indexing.finish();
					// the chunk stream's own time (PostgreSQL and decoding), and the
					// indexing threads' (analysis, HNSW insertion, flushes), summed
					steps.add("read", read);
					steps.add("index-threads", indexing.indexingNanos());
					indexers[0] = indexing.threadsStarted();
				}
			});
			writer.setLiveCommitData(commitData(model, null).entrySet());
			steps.io("commit", writer::commit);
			// One segment searches fastest, but merging a large index into one would
			// insert most of its vectors into one ever larger HNSW graph again: a large
			// index is merged to a bounded number of segments (a no-op when the merge
			// policy left no more).
			bound = segmentBound(committedBytes(fs), this.fullBuildSegmentBytes);
			steps.io("merge", () -> {
				writer.forceMerge(bound);
				writer.commit();
			});
			steps.io("close", writer::close);
			segments = SegmentInfos.readLatestCommit(fs).size();
		}
		finally {
			if (graphWorkers != null) {
				graphWorkers.shutdownNow();
			}
		}
		steps.add("merges-in-background", scheduler.nanos());
		log.info(
				"Version {}: full build of {} chunks ({} with vectors) with {} threads, {} segments ({} merges; at most {})",
				ref.version(), count[0], count[1], indexers[0], segments, scheduler.merges(), bound);
	}

	/**
	 * How many segments a full build of this size ends with at most: one per
	 * {@code segmentBytes}, rounded up.
	 */
	static int segmentBound(long indexBytes, long segmentBytes) {
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (indexBytes + segmentBytes - 1) / segmentBytes));
	}

	/**
	 * The indexing buffer of a full build: more threads fill more in-memory segments at
	 * once, so it grows with them (flushed segments stay as large as one thread's were,
	 * and fewer merges rebuild their graphs), within a quarter of the heap.
	 */
	static double fullBuildBufferMB(int threads, long maxHeapBytes) {
		long quarter = (maxHeapBytes == Long.MAX_VALUE) ? Long.MAX_VALUE : (maxHeapBytes >> 20) / 4;
		return Math.max(RAM_BUFFER_MB, Math.min((long) RAM_BUFFER_MB * threads, quarter));
	}

	/**
	 * The size of the last commit's segments (not of the directory: the files of merges
	 * still running are not the index's).
	 */
	private static long committedBytes(FSDirectory directory) throws IOException {
		long bytes = 0;
		for (SegmentCommitInfo info : SegmentInfos.readLatestCommit(directory)) {
			bytes += info.sizeInBytes();
		}
		return bytes;
	}

	private void incremental(VersionRef ref, Base base, Path temporary, Optional<String> model, Set<String> linked,
			Set<String> synced, StepTimings steps) throws IOException {
		int[] added = { 0 };
		IndexWriterConfig config = config(IndexWriterConfig.OpenMode.APPEND);
		config.setMergePolicy(
				new SmallSegmentsOnly(new TieredMergePolicy(), Math.max(SMALL_SEGMENT_BYTES, base.bytes() / 100)));
		// The base's files are linked, not written: they are on disk since the base's
		// commit, so only the new files are synced (syncing a large base's every file
		// again would make a small change cost in proportion to the brain).
		try (Directory directory = new SyncNewFilesOnly(FSDirectory.open(temporary), linked, synced);
				IndexWriter writer = steps.io("open", () -> new IndexWriter(directory, config))) {
			List<String> keys = base.change().removedKeys();
			steps.io("delete", () -> {
				for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
					writer.deleteDocuments(keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH))
						.stream()
						.map((key) -> new Term(IndexFields.DOCUMENT_KEY, key))
						.toArray(Term[]::new));
				}
			});
			steps.time("add", () -> this.chunks.forEachChunkNotIn(ref.version(), base.version(), (chunk) -> {
				add(writer, chunk);
				added[0]++;
			}));
			writer.setLiveCommitData(commitData(model, base.version()).entrySet());
			steps.io("commit", writer::commit);
			steps.io("close", writer::close);
		}
		log.info("Version {}: incremental build on version {} ({} documents replaced or removed, {} chunks added)",
				ref.version(), base.version(), base.change().removedKeys().size(), added[0]);
	}

	private static Map<String, String> commitData(Optional<String> model, Long base) {
		Map<String, String> data = new HashMap<>();
		model.ifPresent((name) -> data.put(IndexFields.MODEL_KEY, name));
		if (base != null) {
			data.put(BASE_KEY, Long.toString(base));
		}
		return data;
	}

	/**
	 * The version's base when an incremental build can start from it: its local index is
	 * here, with the version's embedding model, and would not end up with too many
	 * deleted chunks.
	 */
	private Optional<Base> base(VersionRef ref, Path root, Optional<String> model) {
		try {
			// the rows only: a building version's progress would count its every chunk
			IndexVersion version = this.versions.find(ref.version()).orElse(null);
			if (version == null || version.parent() == null) {
				return Optional.empty();
			}
			IndexVersion parent = this.versions.find(version.parent()).orElse(null);
			if (parent == null || !parent.state().sealed() || parent.checksum() == null) {
				return Optional.empty();
			}
			Path path = root.resolve(parent.ref().directoryName());
			if (!Files.isDirectory(path)) {
				log.info("Version {}: full build, the local index of its base {} is not on this replica", ref.version(),
						parent.version());
				return Optional.empty();
			}
			SegmentInfos infos;
			long bytes = 0;
			try (FSDirectory directory = FSDirectory.open(path)) {
				infos = SegmentInfos.readLatestCommit(directory);
				for (SegmentCommitInfo info : infos) {
					bytes += info.sizeInBytes();
				}
			}
			if (!Objects.equals(infos.getUserData().get(IndexFields.MODEL_KEY), model.orElse(null))) {
				log.info("Version {}: full build, its embedding model differs from its base {}'s", ref.version(),
						parent.version());
				return Optional.empty();
			}
			long deleted = 0;
			for (SegmentCommitInfo info : infos) {
				deleted += info.getDelCount();
			}
			VersionChunks.Change change = this.chunks.change(ref.version(), parent.version());
			double ratio = (deleted + change.removedChunks())
					/ (double) Math.max(1, infos.totalMaxDoc() + change.addedChunks());
			if (ratio > this.properties.rebuildDeletedRatio()) {
				log.info("Version {}: full build, {} % of the chunks built on base {} would be deleted ones",
						ref.version(), Math.round(ratio * 100), parent.version());
				return Optional.empty();
			}
			return Optional.of(new Base(parent.version(), path, bytes, change));
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Version {}: full build, its base cannot be used ({})", ref.version(), ex.toString());
			return Optional.empty();
		}
	}

	/**
	 * Hard-links (or, on a file system without links, copies) the base's index files into
	 * the new directory.
	 * @return the names of the files hard-linked (copies are not among them: they still
	 * have to be synced), or null when that failed (the base was deleted meanwhile, say)
	 */
	private static Set<String> linked(Path base, Path temporary) {
		try {
			Files.createDirectories(temporary);
			List<Path> files;
			try (Stream<Path> list = Files.list(base)) {
				files = list
					.filter((file) -> !file.getFileName().toString().equals(IndexWriter.WRITE_LOCK_NAME)
							&& !file.getFileName().toString().startsWith(IndexFields.REBUILD_FILE))
					.toList();
			}
			Set<String> linked = new HashSet<>();
			for (Path file : files) {
				Path link = temporary.resolve(file.getFileName());
				try {
					Files.createLink(link, file);
					linked.add(file.getFileName().toString());
				}
				catch (UnsupportedOperationException | IOException ex) {
					if (!Files.exists(file)) {
						throw ex;
					}
					Files.copy(file, link, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			return linked;
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Could not link the base index {} ({}); building in full", base.getFileName(), ex.toString());
			return null;
		}
	}

	private IndexWriterConfig config(IndexWriterConfig.OpenMode mode) {
		return config(mode, 1, null);
	}

	private IndexWriterConfig config(IndexWriterConfig.OpenMode mode, int graphThreads, ExecutorService graphWorkers) {
		IndexWriterConfig config = new IndexWriterConfig(BrainAnalyzers.forIndexing());
		config.setOpenMode(mode);
		config.setRAMBufferSizeMB(RAM_BUFFER_MB);
		config.setCodec(BrainCodec.writing(this.properties.vectorEncoding(), graphThreads, graphWorkers));
		config.setUseCompoundFile(false);
		return config;
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	private static void add(IndexWriter writer, IndexableChunk chunk) {
		try {
			writer.addDocument(document(chunk));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The Lucene document of a chunk. */
	static Document document(IndexableChunk chunk) {
		Document doc = new Document();
		doc.add(new StoredField(IndexFields.CHUNK_ID, chunk.chunkId()));
		doc.add(new StringField(IndexFields.DOCUMENT_KEY, chunk.documentKey(), Field.Store.YES));
		doc.add(new SortedDocValuesField(IndexFields.DOCUMENT_KEY, new BytesRef(chunk.documentKey())));
		if (chunk.title() != null) {
			doc.add(new TextField(IndexFields.TITLE, chunk.title(), Field.Store.YES));
		}
		doc.add(new TextField(IndexFields.TEXT, chunk.text(), Field.Store.YES));
		if (chunk.source() != null) {
			doc.add(new StoredField(IndexFields.SOURCE, chunk.source()));
		}
		doc.add(new StoredField(IndexFields.METADATA, chunk.metadata()));
		if (chunk.vector() != null) {
			// unit length, so the dot product is the cosine
			doc.add(new KnnFloatVectorField(IndexFields.VECTOR, chunk.vector(), VectorSimilarityFunction.DOT_PRODUCT));
		}
		return doc;
	}

	/** How a local index was built. */
	public enum Kind {

		FULL, INCREMENTAL

	}

	private record Base(long version, Path path, long bytes, VersionChunks.Change change) {
	}

	/**
	 * How a build went.
	 *
	 * @param synced the files it synced to disk (an incremental build: only those it
	 * wrote, never the base's linked ones)
	 * @param steps the time of each step, for the log
	 */
	public record Built(Kind kind, Set<String> synced, String steps) {
	}

	/** A directory that syncs only files not linked from a base, and notes them. */
	static final class SyncNewFilesOnly extends FilterDirectory {

		private final Set<String> linked;

		private final Set<String> synced;

		SyncNewFilesOnly(Directory in, Set<String> linked, Set<String> synced) {
			super(in);
			this.linked = linked;
			this.synced = synced;
		}

		@Override
		public void sync(Collection<String> names) throws IOException {
			List<String> written = names.stream().filter((name) -> !this.linked.contains(name)).toList();
			this.in.sync(written);
			this.synced.addAll(written);
		}

	}

	/**
	 * Lucene's concurrent merge scheduler, without its I/O throttle (it starts merges at
	 * 20 MB/s; a build waits for nothing else) and timing the merges it runs.
	 */
	static final class TimedMergeScheduler extends ConcurrentMergeScheduler {

		private final LongAdder nanos = new LongAdder();

		private final LongAdder merges = new LongAdder();

		TimedMergeScheduler() {
			disableAutoIOThrottle();
		}

		@Override
		protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
			long started = System.nanoTime();
			try {
				super.doMerge(mergeSource, merge);
			}
			finally {
				this.nanos.add(System.nanoTime() - started);
				this.merges.increment();
			}
		}

		/** Time spent merging, summed over the merge threads. */
		long nanos() {
			return this.nanos.sum();
		}

		long merges() {
			return this.merges.sum();
		}

	}

	/**
	 * Lets the delegate merge only segments up to a size: an incremental build never
	 * rewrites the large segments it shares with its base (their deleted chunks are
	 * reclaimed by a full build, see {@link IndexProperties#rebuildDeletedRatio()}).
	 */
	static final class SmallSegmentsOnly extends FilterMergePolicy {

		private final long maxBytes;

		SmallSegmentsOnly(MergePolicy delegate, long maxBytes) {
			super(delegate);
			this.maxBytes = maxBytes;
		}

		@Override
		public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
				throws IOException {
			SegmentInfos small = new SegmentInfos(infos.getIndexCreatedVersionMajor());
			List<SegmentCommitInfo> kept = new ArrayList<>();
			for (SegmentCommitInfo info : infos) {
				if (info.sizeInBytes() <= this.maxBytes) {
					kept.add(info);
				}
			}
			kept.forEach(small::add);
			return this.in.findMerges(trigger, small, context);
		}

		@Override
		public MergeSpecification findForcedMerges(SegmentInfos infos, int maxSegmentCount,
				Map<SegmentCommitInfo, Boolean> segmentsToMerge, MergeContext context) {
			return null;
		}

		@Override
		public MergeSpecification findForcedDeletesMerges(SegmentInfos infos, MergeContext context) {
			return null;
		}

	}

}
