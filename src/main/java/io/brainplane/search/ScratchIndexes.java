package io.brainplane.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.brainplane.index.VersionRef;
import io.brainplane.search.internal.IndexBuilder;
import io.brainplane.search.internal.VersionIndex;

import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.util.FileSystemUtils;

/**
 * Throwaway local indexes, built from whatever copy of the brain the caller's transaction
 * sees (a restore drill points it at the scratch schema it loaded a backup into),
 * searched exactly as a version's local index is, and deleted when closed. Never served,
 * cached or recorded.
 */
@Service
public class ScratchIndexes {

	private final IndexBuilder builder;

	private final SearchService search;

	ScratchIndexes(IndexBuilder builder, SearchService search) {
		this.builder = builder;
		this.search = search;
	}

	/**
	 * Builds the version's index (a full build, every chunk with its vector read in the
	 * caller's transaction) under a new temporary directory of {@code parent}.
	 */
	public ScratchIndex build(long version, Path parent) throws IOException {
		Files.createDirectories(parent);
		Path directory = Files.createTempDirectory(parent, "scratch-v" + version + "-");
		try {
			Path target = directory.resolve("index");
			VersionRef ref = new VersionRef(version, "scratch");
			this.builder.build(ref, target, true);
			return new ScratchIndex(VersionIndex.open(ref, target), directory);
		}
		catch (IOException | RuntimeException ex) {
			FileSystemUtils.deleteRecursively(directory);
			throw ex;
		}
	}

	/** A throwaway index; {@link #close()} deletes it. */
	public final class ScratchIndex implements AutoCloseable {

		private final VersionIndex index;

		private final Path directory;

		ScratchIndex(VersionIndex index, Path directory) {
			this.index = index;
			this.directory = directory;
		}

		/**
		 * As {@link SearchService#searchVersion}: the best documents (or chunks) for the
		 * query.
		 * @param mode as for {@link SearchService#search}
		 */
		public List<SearchHit> search(String q, int k, SearchGroup group, @Nullable String mode) {
			return ScratchIndexes.this.search.searchIndex(this.index, q, k, group, mode);
		}

		@Override
		public void close() {
			this.index.close(false);
			try {
				FileSystemUtils.deleteRecursively(this.directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
