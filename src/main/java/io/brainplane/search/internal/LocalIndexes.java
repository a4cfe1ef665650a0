package io.brainplane.search.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import io.brainplane.index.ReplicaIndex;
import io.brainplane.index.VersionLookup;
import io.brainplane.index.VersionRef;
import io.brainplane.platform.PlatformProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * This replica's open local indexes, one directory per version under
 * {@code <data-dir>/index}, and the one being served. Builds run one at a time on a
 * background thread; an incremental build (a version's usual case) indexes on it alone,
 * so it never takes more than a core from searching, while a full build (a first version,
 * a changed model, a rebuild) indexes with {@code brain.index.build-threads} threads.
 * Asking for a version that is already being built waits for that build.
 */
@Component
public class LocalIndexes implements ReplicaIndex, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LocalIndexes.class);

	private final Path root;

	private final IndexBuilder builder;

	private final ExecutorService builds = Executors.newSingleThreadExecutor(daemonThreads("brain-index-builder-"));

	private final Map<VersionRef, CompletableFuture<VersionIndex>> open = new ConcurrentHashMap<>();

	private final AtomicReference<VersionIndex> serving = new AtomicReference<>();

	/**
	 * Versions a seal is checking right now: never dropped, whatever a reconcile decides.
	 */
	private final Set<VersionRef> pinned = ConcurrentHashMap.newKeySet();

	/**
	 * Versions the last reconcile no longer wanted while they were still being opened
	 * (fetched or built): closed and deleted as soon as their load finishes, unless asked
	 * for again meanwhile.
	 */
	private final Set<VersionRef> unwanted = ConcurrentHashMap.newKeySet();

	private final SegmentStore store;

	/**
	 * The rebuild count ({@link io.brainplane.index.VersionService#rebuilt(long)}) each
	 * version's open copy is at, as written in its directory
	 * ({@link IndexFields#REBUILD_FILE}), so it survives a restart; touched on the build
	 * thread only.
	 */
	private final Map<VersionRef, Long> generations = new ConcurrentHashMap<>();

	private final Counter freedDirectories;

	private final Counter repaired;

	private final VersionLookup versions;

	LocalIndexes(PlatformProperties properties, IndexBuilder builder, SegmentStore store, VersionLookup versions,
			MeterRegistry meters) throws IOException {
		this.versions = versions;
		this.freedDirectories = Counter.builder("brain.gc.freed")
			.description("What garbage collection deleted, by kind")
			.tag("kind", "local_index")
			.register(meters);
		this.repaired = Counter.builder("brain.index.repairs")
			.description("Local indexes found missing a file or corrupt on opening, and fetched or built again")
			.register(meters);
		this.root = properties.indexDir().toAbsolutePath().normalize();
		this.builder = builder;
		this.store = store;
		Files.createDirectories(this.root);
		try (Stream<Path> leftovers = Files.list(this.root)) {
			for (Path path : leftovers.filter((p) -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
				FileSystemUtils.deleteRecursively(path);
			}
		}
	}

	@Override
	public void open(VersionRef version) {
		index(version);
	}

	@Override
	public void prefetch(VersionRef version) {
		this.unwanted.remove(version);
		CompletableFuture<VersionIndex> future = this.open.get(version);
		if (future != null && future.isCompletedExceptionally()) {
			// the last build failed: try again
			this.open.remove(version, future);
		}
		this.open.computeIfAbsent(version,
				(ref) -> CompletableFuture.supplyAsync(() -> load(ref), this.builds).whenComplete((index, failure) -> {
					if (failure != null) {
						log.warn("Could not open version {} locally: {}", ref.version(), failure.getMessage());
					}
				}));
	}

	@Override
	public void serve(VersionRef version) {
		// with a reference held, so a reconcile cannot close it between opening and
		// serving
		VersionIndex index = acquire(version);
		try {
			VersionIndex previous = this.serving.getAndSet(index);
			if (previous != index) {
				log.info("Serving version {}", version.version());
			}
		}
		finally {
			index.release();
		}
	}

	@Override
	public Optional<VersionRef> serving() {
		return Optional.ofNullable(this.serving.get()).map(VersionIndex::ref);
	}

	@Override
	public void retainOnly(Set<VersionRef> keep) {
		VersionIndex current = this.serving.get();
		Set<String> kept = new HashSet<>();
		this.open.forEach((ref, future) -> {
			boolean wanted = keep.contains(ref) || this.pinned.contains(ref);
			if (!future.isDone()) {
				// Still loading: its directory stays until the load ends, and then it
				// goes
				// unless something asked for it again meanwhile. (Nothing else would look
				// again: the sync reconciles only when the version list or pointer
				// changes.)
				if (wanted) {
					this.unwanted.remove(ref);
				}
				else if (this.unwanted.add(ref)) {
					future.whenComplete((index, failure) -> dropIfStillUnwanted(ref, future));
				}
				kept.add(ref.directoryName());
				return;
			}
			VersionIndex index = built(future);
			boolean drop = index != null && index != current && !wanted;
			if (drop && this.open.remove(ref, future)) {
				log.info("Closing local index of version {}", ref.version());
				index.close(true);
			}
			else {
				kept.add(ref.directoryName());
			}
		});
		keep.forEach((ref) -> kept.add(ref.directoryName()));
		this.pinned.forEach((ref) -> kept.add(ref.directoryName()));
		deleteDirectoriesExcept(kept);
	}

	/**
	 * Closes (and deletes) a version whose load has just ended, if the last reconcile did
	 * not want it and nothing asked for it since.
	 */
	private void dropIfStillUnwanted(VersionRef ref, CompletableFuture<VersionIndex> future) {
		boolean drop = this.unwanted.remove(ref);
		VersionIndex index = built(future);
		if (drop && index != null && !this.pinned.contains(ref) && this.serving.get() != index
				&& this.open.remove(ref, future)) {
			log.info("Closing local index of version {}: no longer wanted once opened", ref.version());
			index.close(true);
		}
	}

	/**
	 * The served index with a reference taken for one search, or empty when nothing is
	 * served. The caller must {@link VersionIndex#release() release} it.
	 */
	public Optional<VersionIndex> acquireServing() {
		while (true) {
			VersionIndex index = this.serving.get();
			if (index == null) {
				return Optional.empty();
			}
			if (index.acquire()) {
				return Optional.of(index);
			}
			if (this.serving.get() == index) {
				return Optional.empty();
			}
		}
	}

	/** Keeps a version open and on disk until {@link #unpin(VersionRef)}. */
	void pin(VersionRef version) {
		this.pinned.add(version);
		this.unwanted.remove(version);
	}

	void unpin(VersionRef version) {
		this.pinned.remove(version);
	}

	/**
	 * The index of the version with this number if this replica has it open (built and
	 * not dropped), with a reference taken; empty otherwise. Never builds or opens one.
	 * The caller must release it.
	 */
	public Optional<VersionIndex> acquireOpen(long version) {
		for (Map.Entry<VersionRef, CompletableFuture<VersionIndex>> entry : this.open.entrySet()) {
			if (entry.getKey().version() == version) {
				VersionIndex index = built(entry.getValue());
				if (index != null && index.acquire()) {
					return Optional.of(index);
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * An open index with a reference taken, for checks: it stays readable even if a
	 * reconcile drops it meanwhile. The caller must release it.
	 */
	public VersionIndex acquire(VersionRef version) {
		for (int attempt = 0; attempt < 3; attempt++) {
			VersionIndex index = index(version);
			if (index.acquire()) {
				return index;
			}
			// Dropped between opening and acquiring: open it again.
		}
		throw new IllegalStateException("the local index of version " + version.version() + " keeps closing");
	}

	private VersionIndex index(VersionRef version) {
		this.unwanted.remove(version);
		CompletableFuture<VersionIndex> future = this.open.computeIfAbsent(version,
				(ref) -> CompletableFuture.supplyAsync(() -> load(ref), this.builds));
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			this.open.remove(version, future);
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException("local index of version " + version.version() + " unavailable: "
					+ cause.getClass().getSimpleName() + (cause.getMessage() != null ? " " + cause.getMessage() : ""),
					cause);
		}
	}

	private VersionIndex load(VersionRef ref) {
		Path path = this.root.resolve(ref.directoryName());
		// -1: unknown (the database is unreachable), so a copy on disk is trusted
		long generation = currentGeneration(ref);
		try {
			if (Files.isDirectory(path)) {
				long onDisk = generationOf(path);
				if (generation > onDisk) {
					// rebuilt elsewhere while this replica was down (or before it
					// restarted)
					log.info(
							"Local index of version {} predates its rebuild {} (it is at {}); fetching or building it again",
							ref.version(), generation, onDisk);
					FileSystemUtils.deleteRecursively(path);
				}
				else {
					try {
						VersionIndex index = verified(VersionIndex.open(ref, path));
						this.generations.put(ref, onDisk);
						return index;
					}
					catch (IOException ex) {
						log.warn(
								"Local index of version {} is missing a file or corrupt ({}); fetching or rebuilding it",
								ref.version(), ex.getClass().getSimpleName());
						this.repaired.increment();
						FileSystemUtils.deleteRecursively(path);
					}
				}
			}
			if (fetched(ref, path)) {
				return opened(ref, path, generation);
			}
			// a version rebuilt in full is built in full here too
			this.builder.build(ref, path, generation > 0);
			if (this.store.enabled()) {
				try {
					this.store.publish(ref, path);
				}
				catch (IOException | RuntimeException ex) {
					// the seal's check reports it; other replicas build it themselves
					log.warn("Could not publish version {} to the segment store: {}", ref.version(), ex.toString());
				}
			}
			return opened(ref, path, generation);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Opens a copy just built or fetched, at the rebuild count read before. */
	private VersionIndex opened(VersionRef ref, Path path, long generation) throws IOException {
		markGeneration(path, generation);
		this.generations.put(ref, Math.max(0, generation));
		return VersionIndex.open(ref, path);
	}

	/** The version's rebuild count in the database, or -1 when it cannot be read. */
	private long currentGeneration(VersionRef ref) {
		try {
			return this.versions.rebuilds(ref.version());
		}
		catch (RuntimeException ex) {
			log.warn("Cannot read the rebuild count of version {} ({}); trusting the local copy", ref.version(),
					ex.getClass().getSimpleName());
			return -1;
		}
	}

	/** The rebuild count a local index directory is at (0 when it says nothing). */
	static long generationOf(Path dir) {
		try {
			return Long.parseLong(Files.readString(dir.resolve(IndexFields.REBUILD_FILE)).trim());
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
	}

	/** Writes the rebuild count into the directory, atomically; nothing for 0 or less. */
	private static void markGeneration(Path dir, long generation) throws IOException {
		if (generation <= 0) {
			return;
		}
		Path temporary = dir.resolve(IndexFields.REBUILD_FILE + ".tmp");
		Files.writeString(temporary, Long.toString(generation));
		Files.move(temporary, dir.resolve(IndexFields.REBUILD_FILE), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * The index opened from a directory found on disk (after a restart, say), once every
	 * file matched its checksum: a file damaged on disk is never served.
	 */
	private static VersionIndex verified(VersionIndex index) throws IOException {
		try {
			index.checkIntegrity();
			return index;
		}
		catch (IOException | RuntimeException ex) {
			index.close(false);
			throw ex;
		}
	}

	/**
	 * Builds the version's local index again from scratch (a full build, whatever its
	 * base), swaps it in for the one open (and served) and, with a segment store,
	 * publishes it in place of the old manifest; then {@code announce} tells every other
	 * replica (and returns the version's rebuild count). Runs on the build thread, so
	 * after any build in progress, and before this replica's own sync can hand the same
	 * rebuild back to {@link #rebuilt(VersionRef, long)}.
	 */
	public Rebuilt rebuild(VersionRef ref, LongSupplier announce) {
		try {
			return CompletableFuture.supplyAsync(() -> {
				try {
					Rebuilt rebuilt = rebuildNow(ref);
					long generation = announce.getAsLong();
					markGeneration(this.root.resolve(ref.directoryName()), generation);
					this.generations.put(ref, generation);
					return rebuilt.withGeneration(generation);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, this.builds).join();
		}
		catch (CompletionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException("rebuilding the local index of version " + ref.version() + " failed: "
					+ cause.getClass().getSimpleName(), cause);
		}
	}

	/**
	 * Replaces this replica's open copy of a version rebuilt elsewhere, on the build
	 * thread: from the segment store when it has the rebuilt files, else by a full build
	 * here. A version not open here is left alone (it is opened from the store or built
	 * when needed); a copy already at that rebuild is kept.
	 */
	@Override
	public void rebuilt(VersionRef ref, long generation) {
		this.builds.execute(() -> {
			CompletableFuture<VersionIndex> current = this.open.get(ref);
			if (this.generations.getOrDefault(ref, 0L) >= generation || current == null || built(current) == null) {
				return;
			}
			try {
				long started = System.nanoTime();
				Path fresh = this.root.resolve(".tmp-" + ref.directoryName() + "-rebuilt");
				FileSystemUtils.deleteRecursively(fresh);
				boolean fetched = fetched(ref, fresh);
				if (!fetched) {
					this.builder.build(ref, fresh, true);
				}
				markGeneration(fresh, generation);
				swapIn(ref, fresh);
				this.generations.put(ref, generation);
				log.info("Replaced the local index of version {} after its rebuild elsewhere ({}) in {} ms",
						ref.version(), fetched ? "fetched from the segment store" : "built in full here",
						(System.nanoTime() - started) / 1_000_000);
			}
			catch (IOException | RuntimeException ex) {
				log.warn("Could not replace the local index of version {} after its rebuild: {}; keeping the old copy",
						ref.version(), ex.toString());
			}
		});
	}

	private Rebuilt rebuildNow(VersionRef ref) throws IOException {
		long started = System.nanoTime();
		Path target = this.root.resolve(ref.directoryName());
		Path fresh = this.root.resolve(".tmp-" + ref.directoryName() + "-rebuilt");
		FileSystemUtils.deleteRecursively(fresh);
		this.builder.build(ref, fresh, true);
		VersionIndex index = swapIn(ref, fresh);
		boolean published = false;
		if (this.store.enabled()) {
			this.store.publish(ref, target, true);
			published = true;
		}
		long millis = (System.nanoTime() - started) / 1_000_000;
		log.info("Rebuilt the local index of version {} in full in {} ms ({} segments)", ref.version(), millis,
				index.segmentCount());
		return new Rebuilt(ref.version(), "full", millis, index.chunkCount(), index.segmentCount(), published, 0);
	}

	/**
	 * Moves a freshly built or fetched directory into the version's place and swaps the
	 * open (and served) index for it; the old files are deleted once moved aside.
	 */
	private VersionIndex swapIn(VersionRef ref, Path fresh) throws IOException {
		Path target = this.root.resolve(ref.directoryName());
		Path old = this.root.resolve(".tmp-" + ref.directoryName() + "-replaced-" + java.util.UUID.randomUUID());
		boolean existed = Files.isDirectory(target);
		if (existed) {
			// the open index keeps reading its files (open handles and mappings survive a
			// rename); new readers get the new directory
			Files.move(target, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		Files.move(fresh, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		VersionIndex index = VersionIndex.open(ref, target);
		CompletableFuture<VersionIndex> previous = this.open.put(ref, CompletableFuture.completedFuture(index));
		VersionIndex replaced = (previous != null) ? built(previous) : null;
		if (replaced != null) {
			this.serving.compareAndSet(replaced, index);
			replaced.close(false);
		}
		if (existed) {
			FileSystemUtils.deleteRecursively(old);
		}
		return index;
	}

	/**
	 * What a rebuild did.
	 *
	 * @param published whether it replaced the version's files in the segment store
	 * @param generation the version's rebuild count after this one: every other replica
	 * replaces its copy when its sync sees the count go up
	 */
	public record Rebuilt(long version, String kind, long durationMs, int chunks, int segments, boolean published,
			long generation) {

		Rebuilt withGeneration(long generation) {
			return new Rebuilt(this.version, this.kind, this.durationMs, this.chunks, this.segments, this.published,
					generation);
		}

	}

	/** Whether the version was fetched from the segment store (false: build it). */
	private boolean fetched(VersionRef ref, Path path) {
		if (!this.store.enabled()) {
			return false;
		}
		try {
			return this.store.download(ref, path, this.root);
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Could not fetch version {} from the segment store ({}); building it locally", ref.version(),
					ex.toString());
			return false;
		}
	}

	/**
	 * Publishes an open version to the segment store if it is not there yet (a no-op
	 * without a store).
	 * @throws IOException when the store cannot be written
	 */
	void publish(VersionRef version) throws IOException {
		if (this.store.enabled() && !this.store.published(version)) {
			this.store.publish(version, this.root.resolve(version.directoryName()));
		}
	}

	/** Whether the version is in the segment store, or there is no store. */
	boolean publishedOrNoStore(VersionRef version) throws IOException {
		return !this.store.enabled() || this.store.published(version);
	}

	String storeLocation() {
		return this.store.location();
	}

	/** The index when its build has finished well, else null. */
	private static VersionIndex built(CompletableFuture<VersionIndex> future) {
		return (future.isDone() && !future.isCompletedExceptionally()) ? future.join() : null;
	}

	private void deleteDirectoriesExcept(Set<String> kept) {
		try (Stream<Path> children = Files.list(this.root)) {
			for (Path path : children.toList()) {
				String name = path.getFileName().toString();
				if (!name.startsWith(".tmp-") && !kept.contains(name)) {
					log.info("Deleting unused local index {}", name);
					FileSystemUtils.deleteRecursively(path);
					this.freedDirectories.increment();
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not clean the local index directory: {}", ex.getMessage());
		}
	}

	@Override
	public void destroy() {
		this.builds.shutdownNow();
		this.serving.set(null);
		this.open.values().forEach((future) -> {
			VersionIndex index = built(future);
			if (index != null) {
				index.close(false);
			}
		});
		this.open.clear();
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

}
