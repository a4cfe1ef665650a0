package io.brainplane.search.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.index.IndexProperties;
import io.brainplane.index.VersionRef;
import io.brainplane.search.IndexStorage;
import io.brainplane.storage.ObjectInfo;
import io.brainplane.storage.ObjectStore;
import io.brainplane.storage.ObjectStores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Sealed versions' local indexes shared between replicas, so a version is built once per
 * fleet: the replica that builds a version publishes its segment files, each under a
 * content address ({@code segments/<segment id>/<file name>.<checksum>}, so files shared
 * by versions are stored once), then a manifest ({@code versions/<version dir>/}) naming
 * them and the commit point. Other replicas and new pods link the files they already have
 * (from the base version's directory, say), download the rest, verify every file's Lucene
 * checksum against its footer and the manifest, and open the version. A manifest is
 * written last, so a version is in the store whole or not at all.
 */
@Component
public class SegmentStore implements IndexStorage {

	private static final Logger log = LoggerFactory.getLogger(SegmentStore.class);

	private static final String MANIFEST = "manifest.json";

	private final ObjectStore store;

	private final ObjectMapper json;

	private final Counter uploaded;

	private final Counter downloaded;

	private final Counter linked;

	public SegmentStore(IndexProperties properties, ObjectStores stores, ObjectMapper json, MeterRegistry meters) {
		this.store = switch (properties.segmentStore()) {
			case NONE -> null;
			case FILESYSTEM -> {
				if (properties.segmentStorePath() == null) {
					throw new IllegalStateException(
							"brain.index.segment-store-path must be set when brain.index.segment-store=filesystem");
				}
				yield stores.filesystem(properties.segmentStorePath());
			}
			case S3 -> stores.s3("index/");
		};
		this.json = json;
		this.uploaded = bytes(meters, "uploaded");
		this.downloaded = bytes(meters, "downloaded");
		this.linked = bytes(meters, "linked");
	}

	private static Counter bytes(MeterRegistry meters, String direction) {
		return Counter.builder("brain.index.segment.store.bytes")
			.description("Index file bytes this replica uploaded to or downloaded from the segment store, "
					+ "or linked from a local index instead of downloading")
			.baseUnit("bytes")
			.tag("direction", direction)
			.register(meters);
	}

	public boolean enabled() {
		return this.store != null;
	}

	/** Where the store is, for messages. */
	public String location() {
		return (this.store != null) ? this.store.location() : "none";
	}

	/** Whether the version's manifest is in the store. */
	public boolean published(VersionRef ref) throws IOException {
		return this.store != null && this.store.exists(manifestKey(ref));
	}

	/**
	 * Uploads the files of the local index the store lacks, then its manifest; nothing
	 * when the version is already there.
	 */
	public void publish(VersionRef ref, Path dir) throws IOException {
		publish(ref, dir, false);
	}

	/**
	 * Uploads the files of the local index the store lacks, then its manifest.
	 * @param replace replace a manifest already there (after a full rebuild); its files
	 * no other manifest names are left to the garbage collector
	 */
	public void publish(VersionRef ref, Path dir, boolean replace) throws IOException {
		if (this.store == null || (!replace && published(ref))) {
			return;
		}
		long started = System.nanoTime();
		long bytes = 0;
		List<Entry> files = new ArrayList<>();
		// files found in the store rather than uploaded: a garbage collection may delete
		// them before the manifest names them
		List<Entry> found = new ArrayList<>();
		Entry commit;
		try (Directory directory = directory(dir)) {
			SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
			for (SegmentCommitInfo info : infos) {
				String segment = HexFormat.of().formatHex(info.info.getId());
				for (String name : info.files()) {
					long checksum = checksum(directory, name);
					String key = "segments/" + segment + "/" + name + "." + Long.toHexString(checksum);
					long length = directory.fileLength(name);
					Entry entry = new Entry(name, segment, key, checksum, length);
					files.add(entry);
					if (!this.store.exists(key)) {
						try (InputStream in = Files.newInputStream(dir.resolve(name))) {
							this.store.put(key, in);
						}
						bytes += length;
					}
					else {
						found.add(entry);
					}
				}
			}
			String segmentsFile = infos.getSegmentsFileName();
			long checksum = checksum(directory, segmentsFile);
			commit = new Entry(segmentsFile, null, versionPrefix(ref) + segmentsFile, checksum,
					directory.fileLength(segmentsFile));
			try (InputStream in = Files.newInputStream(dir.resolve(segmentsFile))) {
				this.store.put(commit.key(), in);
			}
		}
		byte[] manifest = this.json.writeValueAsBytes(new Manifest(ref.version(), ref.checksum(), commit, files));
		this.store.put(manifestKey(ref), new java.io.ByteArrayInputStream(manifest));
		// A garbage collection that read the manifests before this one was written may
		// have deleted a file it found shared with no version: put it back. Only a file
		// found in the store can be: one uploaded here is younger than the collector's
		// grace period.
		for (Entry entry : found) {
			if (!this.store.exists(entry.key())) {
				try (InputStream in = Files.newInputStream(dir.resolve(entry.name()))) {
					this.store.put(entry.key(), in);
				}
			}
		}
		this.uploaded.increment(bytes);
		log.info("Published version {} to the segment store {} ({} files, {} bytes uploaded) in {} ms", ref.version(),
				this.store.location(), files.size() + 1, bytes, (System.nanoTime() - started) / 1_000_000);
	}

	/**
	 * Fetches the version's index into {@code target}: files found in the other local
	 * index directories under {@code root} are hard-linked, the rest downloaded; every
	 * file's checksum is verified before the directory is moved into place.
	 * @return false when the store does not have the version
	 * @throws IOException when a file is missing, unreadable or corrupt (nothing is left
	 * at {@code target} then)
	 */
	public boolean download(VersionRef ref, Path target, Path root) throws IOException {
		if (this.store == null) {
			return false;
		}
		Manifest manifest;
		try (InputStream in = this.store.get(manifestKey(ref))) {
			manifest = this.json.readValue(in, Manifest.class);
		}
		catch (NoSuchFileException ex) {
			return false;
		}
		long started = System.nanoTime();
		Path temporary = target.resolveSibling(".tmp-" + ref.directoryName() + "-download");
		FileSystemUtils.deleteRecursively(temporary);
		Files.createDirectories(temporary);
		long fetched = 0;
		long reused = 0;
		try {
			LocalFiles local = new LocalFiles(root, target);
			List<Entry> all = new ArrayList<>(manifest.files());
			all.add(manifest.commit());
			Set<String> linkedNames = new HashSet<>();
			for (Entry entry : all) {
				Path file = temporary.resolve(entry.name());
				Optional<Path> same = (entry.segment() != null) ? local.find(entry) : Optional.empty();
				if (same.isPresent() && link(same.get(), file)) {
					reused += entry.length();
					linkedNames.add(entry.name());
					continue;
				}
				try (InputStream in = this.store.get(entry.key())) {
					Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
				}
				fetched += entry.length();
			}
			try (Directory directory = directory(temporary)) {
				for (Entry entry : all) {
					if (linkedNames.contains(entry.name())) {
						// A file of a local index, verified when it was written or
						// fetched
						// (and when the index was opened after a restart): its length and
						// footer checksum matched the manifest's, and reading it whole
						// again would cost the whole base at every fetch.
						verifyFooter(directory, entry);
					}
					else {
						verify(directory, entry);
					}
				}
				SegmentInfos.readLatestCommit(directory);
			}
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException | RuntimeException ex) {
			FileSystemUtils.deleteRecursively(temporary);
			throw ex;
		}
		this.downloaded.increment(fetched);
		this.linked.increment(reused);
		log.info("Fetched version {} from the segment store ({} bytes downloaded, {} bytes linked locally) in {} ms",
				ref.version(), fetched, reused, (System.nanoTime() - started) / 1_000_000);
		return true;
	}

	@Override
	public Swept sweepSegmentStore(Map<Long, String> versions, Instant uploadedBefore) throws IOException {
		if (this.store == null) {
			return Swept.NOTHING;
		}
		long newest = versions.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
		long manifests = 0;
		long files = 0;
		long bytes = 0;
		// 1. Versions that are gone: manifest first, then their commit point.
		Map<String, List<ObjectInfo>> byVersion = new HashMap<>();
		for (ObjectInfo object : this.store.list("versions/")) {
			String[] parts = object.key().split("/", 3);
			if (parts.length == 3) {
				byVersion.computeIfAbsent(parts[1], (dir) -> new ArrayList<>()).add(object);
			}
		}
		for (Map.Entry<String, List<ObjectInfo>> version : byVersion.entrySet()) {
			if (kept(version.getKey(), versions, newest)) {
				continue;
			}
			String prefix = "versions/" + version.getKey() + "/";
			this.store.delete(prefix + MANIFEST);
			for (ObjectInfo object : version.getValue()) {
				if (!object.key().equals(prefix + MANIFEST)) {
					this.store.delete(object.key());
					bytes += object.size();
				}
			}
			manifests++;
			log.info("Deleted version directory {} from the segment store", version.getKey());
		}
		// 2. Segment files no remaining manifest names (the listing is read after the
		// deletes, so a manifest published meanwhile is seen; the grace period covers
		// files uploaded before their manifest).
		Set<String> referenced = new HashSet<>();
		for (ObjectInfo object : this.store.list("versions/")) {
			if (object.key().endsWith("/" + MANIFEST)) {
				try (InputStream in = this.store.get(object.key())) {
					this.json.readValue(in, Manifest.class).files().forEach((entry) -> referenced.add(entry.key()));
				}
				catch (NoSuchFileException ex) {
					// deleted meanwhile
				}
			}
		}
		for (ObjectInfo object : this.store.list("segments/")) {
			if (!referenced.contains(object.key()) && object.lastModified() != null
					&& object.lastModified().isBefore(uploadedBefore)) {
				this.store.delete(object.key());
				files++;
				bytes += object.size();
			}
		}
		if (manifests + files > 0) {
			log.info("Segment store {}: deleted {} version manifests and {} segment files ({} bytes) no version uses",
					this.store.location(), manifests, files, bytes);
		}
		return new Swept(manifests, files, bytes);
	}

	/**
	 * Whether a version directory of the store belongs to an existing version: one with
	 * its number and, once sealed, its checksum; numbers above the newest known are
	 * versions created since the list was read.
	 */
	private static boolean kept(String directoryName, Map<Long, String> versions, long newest) {
		int dash = directoryName.indexOf('-');
		if (!directoryName.startsWith("v") || dash < 0) {
			return true;
		}
		long number;
		try {
			number = Long.parseLong(directoryName.substring(1, dash));
		}
		catch (NumberFormatException ex) {
			return true;
		}
		if (number > newest) {
			return true;
		}
		if (!versions.containsKey(number)) {
			return false;
		}
		String checksum = versions.get(number);
		return checksum == null || new VersionRef(number, checksum).directoryName().equals(directoryName);
	}

	/** The directory of a local index (a seam for tests counting what is read). */
	Directory directory(Path dir) throws IOException {
		return FSDirectory.open(dir);
	}

	private static void verify(Directory directory, Entry entry) throws IOException {
		if (directory.fileLength(entry.name()) != entry.length()) {
			throw new CorruptIndexException("length differs from the manifest's", entry.name());
		}
		try (IndexInput input = directory.openInput(entry.name(), IOContext.READONCE)) {
			long actual = CodecUtil.checksumEntireFile(input);
			if (actual != entry.checksum()) {
				throw new CorruptIndexException("checksum differs from the manifest's", entry.name());
			}
		}
	}

	/** The length, and the checksum in the footer, against the manifest's. */
	private static void verifyFooter(Directory directory, Entry entry) throws IOException {
		if (directory.fileLength(entry.name()) != entry.length()) {
			throw new CorruptIndexException("length differs from the manifest's", entry.name());
		}
		if (checksum(directory, entry.name()) != entry.checksum()) {
			throw new CorruptIndexException("checksum differs from the manifest's", entry.name());
		}
	}

	private static long checksum(Directory directory, String name) throws IOException {
		try (IndexInput input = directory.openInput(name, IOContext.READONCE)) {
			return CodecUtil.retrieveChecksum(input);
		}
	}

	private static boolean link(Path existing, Path link) {
		try {
			Files.createLink(link, existing);
			return true;
		}
		catch (IOException | UnsupportedOperationException ex) {
			try {
				Files.copy(existing, link, StandardCopyOption.REPLACE_EXISTING);
				return true;
			}
			catch (IOException copyFailed) {
				return false;
			}
		}
	}

	private static String versionPrefix(VersionRef ref) {
		return "versions/" + ref.directoryName() + "/";
	}

	private static String manifestKey(VersionRef ref) {
		return versionPrefix(ref) + MANIFEST;
	}

	/**
	 * One index file in the store.
	 *
	 * @param segment the Lucene segment id (hex); null for the commit point
	 */
	record Entry(String name, String segment, String key, long checksum, long length) {
	}

	/** What a version's local index consists of. */
	record Manifest(long version, String checksum, Entry commit, List<Entry> files) {
	}

	/** Segment files of the other local indexes, by segment id and name. */
	private static final class LocalFiles {

		private final Map<String, Path> byIdAndName = new HashMap<>();

		LocalFiles(Path root, Path target) {
			try (Stream<Path> dirs = Files.list(root)) {
				for (Path dir : dirs.filter(Files::isDirectory).toList()) {
					if (dir.getFileName().toString().startsWith(".tmp-") || dir.equals(target)) {
						continue;
					}
					try (FSDirectory directory = FSDirectory.open(dir)) {
						for (SegmentCommitInfo info : SegmentInfos.readLatestCommit(directory)) {
							String segment = HexFormat.of().formatHex(info.info.getId());
							for (String name : info.files()) {
								this.byIdAndName.putIfAbsent(segment + "/" + name, dir.resolve(name));
							}
						}
					}
					catch (IOException ex) {
						// not a complete index: nothing to reuse from it
					}
				}
			}
			catch (IOException ex) {
				// nothing to reuse
			}
		}

		/** A local file with the entry's segment id, name, length and checksum. */
		Optional<Path> find(Entry entry) {
			Path candidate = this.byIdAndName.get(entry.segment() + "/" + entry.name());
			if (candidate == null) {
				return Optional.empty();
			}
			try (FSDirectory directory = FSDirectory.open(candidate.getParent())) {
				if (directory.fileLength(entry.name()) == entry.length()
						&& checksum(directory, entry.name()) == entry.checksum()) {
					return Optional.of(candidate);
				}
			}
			catch (IOException ex) {
				// deleted meanwhile
			}
			return Optional.empty();
		}

	}

}
