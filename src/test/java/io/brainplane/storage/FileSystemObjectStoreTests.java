package io.brainplane.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.brainplane.storage.internal.FileSystemObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemObjectStoreTests extends ObjectStoreContract {

	@TempDir
	Path root;

	@Override
	ObjectStore store() {
		return new FileSystemObjectStore(this.root);
	}

	@Override
	void assertUploadedInParts(String key, int parts) {
		// one file, written through a stream
	}

	@Override
	void assertNoUploadsInProgress() throws IOException {
		try (Stream<Path> files = Files.walk(this.root)) {
			assertThat(files.filter(Files::isRegularFile).map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.endsWith(".partial"));
		}
	}

	@Test
	void deletingTheLastObjectOfADirectoryRemovesTheDirectory() throws IOException {
		store().put("backups/one/manifest.json", text("{}"));
		store().delete("backups/one/manifest.json");
		assertThat(this.root.resolve("backups")).doesNotExist();
		assertThat(this.root).exists();
	}

	@Test
	void aMissingRootListsNothing() throws IOException {
		assertThat(new FileSystemObjectStore(this.root.resolve("not-yet")).list("")).isEmpty();
	}

}
