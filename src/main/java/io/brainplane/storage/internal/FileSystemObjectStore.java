package io.brainplane.storage.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.brainplane.storage.ObjectInfo;
import io.brainplane.storage.ObjectStore;
import io.brainplane.storage.Upload;

/**
 * Objects as files under a directory. A put writes a hidden temporary file beside the
 * target, forces it to disk and moves it into place, so a crash or a full disk never
 * leaves a partial object under the key; listings skip the temporary files.
 */
public final class FileSystemObjectStore implements ObjectStore {

	private static final String TEMPORARY_SUFFIX = ".partial";

	private final Path root;

	public FileSystemObjectStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	@Override
	public Upload upload(String key) throws IOException {
		Path target = resolve(key);
		Files.createDirectories(target.getParent());
		Path temporary = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
		return new FileUpload(key, target, temporary,
				FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
	}

	/** Writes a hidden temporary file, forced to disk and moved into place on commit. */
	private final class FileUpload extends Upload {

		private final String key;

		private final Path target;

		private final Path temporary;

		private final FileChannel channel;

		private final OutputStream out;

		private boolean finished;

		FileUpload(String key, Path target, Path temporary, FileChannel channel) {
			this.key = key;
			this.target = target;
			this.temporary = temporary;
			this.channel = channel;
			this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
		}

		@Override
		public void write(int b) throws IOException {
			this.out.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.out.write(b, off, len);
		}

		@Override
		public ObjectInfo commit() throws IOException {
			if (this.finished) {
				throw new IllegalStateException("upload of " + this.key + " already finished");
			}
			this.out.flush();
			this.channel.force(true);
			this.channel.close();
			move(this.temporary, this.target);
			this.finished = true;
			return info(this.key, this.target).orElseThrow(() -> new NoSuchFileException(this.key));
		}

		@Override
		public void close() throws IOException {
			if (!this.finished) {
				this.finished = true;
				try {
					this.channel.close();
				}
				finally {
					Files.deleteIfExists(this.temporary);
				}
			}
		}

	}

	private static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@Override
	public InputStream get(String key) throws IOException {
		Path file = resolve(key);
		if (!Files.isRegularFile(file)) {
			throw new NoSuchFileException(key);
		}
		return Files.newInputStream(file);
	}

	@Override
	public Optional<ObjectInfo> head(String key) throws IOException {
		return info(key, resolve(key));
	}

	@Override
	public List<ObjectInfo> list(String prefix) throws IOException {
		Keys.checkPrefix(prefix);
		if (!Files.isDirectory(this.root)) {
			return List.of();
		}
		// walk only the directory the prefix names, not the whole tree
		int slash = prefix.lastIndexOf('/');
		Path start = (slash < 0) ? this.root : this.root.resolve(prefix.substring(0, slash));
		if (!Files.isDirectory(start)) {
			return List.of();
		}
		List<ObjectInfo> objects = new ArrayList<>();
		try (Stream<Path> files = Files.walk(start)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				String key = key(file);
				if (key.startsWith(prefix) && !isTemporary(file)) {
					info(key, file).ifPresent(objects::add);
				}
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		objects.sort(Comparator.comparing(ObjectInfo::key));
		return objects;
	}

	@Override
	public void delete(String key) throws IOException {
		Path file = resolve(key);
		Files.deleteIfExists(file);
		pruneEmptyDirectories(file.getParent());
	}

	@Override
	public String location() {
		return this.root.toUri().toString();
	}

	private void pruneEmptyDirectories(Path directory) throws IOException {
		Path current = directory;
		while (current != null && current.startsWith(this.root) && !current.equals(this.root)) {
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(current)) {
				if (entries.iterator().hasNext()) {
					return;
				}
			}
			catch (NoSuchFileException ex) {
				current = current.getParent();
				continue;
			}
			try {
				Files.deleteIfExists(current);
			}
			catch (IOException ex) {
				// another writer just put a file there
				return;
			}
			current = current.getParent();
		}
	}

	private Optional<ObjectInfo> info(String key, Path file) throws IOException {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			if (!attributes.isRegularFile()) {
				return Optional.empty();
			}
			return Optional.of(new ObjectInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	private Path resolve(String key) {
		Path file = this.root.resolve(Keys.check(key)).normalize();
		if (!file.startsWith(this.root)) {
			throw new IllegalArgumentException("Invalid object key '" + key + "'");
		}
		return file;
	}

	private String key(Path file) {
		return this.root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

	private static boolean isTemporary(Path file) {
		String name = file.getFileName().toString();
		return name.startsWith(".") && name.endsWith(TEMPORARY_SUFFIX);
	}

}
