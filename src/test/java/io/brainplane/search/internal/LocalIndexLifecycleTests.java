package io.brainplane.search.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.index.VersionContents;
import io.brainplane.index.VersionRef;
import io.brainplane.index.internal.ReplicaSync;
import io.brainplane.platform.PlatformProperties;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local indexes a reconcile no longer wants are closed and deleted, and never take a copy
 * opened again later with them.
 */
class LocalIndexLifecycleTests extends IntegrationTest {

	@Autowired
	private LocalIndexes indexes;

	@Autowired
	private SmokeCheck smoke;

	@Autowired
	private VersionContents contents;

	@Autowired
	private ReplicaSync sync;

	@Autowired
	private PlatformProperties platform;

	/**
	 * The local index a seal builds stays open and on disk from the seal's preparation
	 * until it releases the version, whatever a reconcile decides meanwhile: the version
	 * is not sealed yet, so the replica's sync sees no reason to keep it. (A reconcile
	 * between the preparation and the check used to delete the directory under the check,
	 * which then failed the seal with 422, or under a reader right after the seal.)
	 */
	@Test
	void aVersionBeingSealedKeepsItsLocalIndexThroughReconcilesUntilReleased() {
		VersionRef ref = ingestedVersion("Limpets cling to rocks at low tide.", "Barnacles filter the passing water.");
		Path directory = this.platform.indexDir().resolve(ref.directoryName());

		this.smoke.prepare(ref);
		assertThat(directory).isDirectory();
		reconcile();
		assertThat(directory).as("reconciled between the seal's preparation and its check").isDirectory();
		assertThat(this.smoke.check(ref)).isEmpty();
		reconcile();
		assertThat(directory).as("reconciled between the seal's check and its commit").isDirectory();
		assertThat(this.indexes.acquireOpen(ref.version())).hasValueSatisfying(VersionIndex::release);

		this.smoke.release(ref);
		reconcile();
		// the control: once released, the same reconcile drops the unsealed version
		assertThat(directory).doesNotExist();
		assertThat(this.indexes.acquireOpen(ref.version())).isEmpty();
	}

	/**
	 * A version a reconcile stops wanting while this replica is still opening it (queued
	 * behind another build, say, after a restart) is closed and deleted once its load
	 * ends. It used to stay open and on disk: the reconcile kept every load in flight,
	 * and nothing looked again until the version list or the pointer next changed.
	 */
	@Test
	void aVersionDroppedWhileItIsStillLoadingIsClosedAndDeletedOnceLoaded() throws Exception {
		VersionRef blocker = ingestedVersion("Limpets cling to rocks at low tide.");
		VersionRef loading = ingestedVersion("Barnacles filter the passing water.");
		Path directory = this.platform.indexDir().resolve(loading.directoryName());

		// Hold the single build thread: a rebuild waits in its announcement until
		// released.
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<LocalIndexes.Rebuilt> held = CompletableFuture
			.supplyAsync(() -> this.indexes.rebuild(blocker, () -> {
				holding.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return 0;
			}));
		assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
		try {
			this.indexes.prefetch(loading);
			// the version is not sealed, so the reconcile does not want it; its load is
			// queued
			reconcile();
		}
		finally {
			release.countDown();
		}
		held.get(30, TimeUnit.SECONDS);
		// A task on the build thread after the load: once it ran, the load has ended.
		this.indexes.rebuild(blocker, () -> 0);

		assertThat(this.indexes.acquireOpen(loading.version())).isEmpty();
		assertThat(directory).doesNotExist();
		// asked for again, it opens again
		assertThat(this.indexes.acquire(loading)).satisfies(VersionIndex::release);
		assertThat(directory).isDirectory();
		reconcile();
		assertThat(directory).doesNotExist();
	}

	/**
	 * A dropped index a search still holds is deleted once released; the version opened
	 * again meanwhile gets a directory of its own. (The release used to delete the
	 * directory the new copy had opened.)
	 */
	@Test
	void releasingADroppedIndexLeavesTheVersionOpenedAgainMeanwhileOnDisk() throws Exception {
		VersionRef ref = ingestedVersion("Periwinkles graze the algae on the rocks.");
		Path directory = this.platform.indexDir().resolve(ref.directoryName());
		VersionIndex searched = this.indexes.acquire(ref);
		reconcile();
		assertThat(this.indexes.acquireOpen(ref.version())).as("dropped").isEmpty();

		VersionIndex again = this.indexes.acquire(ref);
		try {
			searched.release();
			assertThat(directory).isDirectory();
			assertThat(VersionIndex.open(ref, directory)).satisfies((copy) -> {
				copy.checkIntegrity();
				copy.close(false);
			});
			assertThat(this.platform.indexDir()).isDirectoryNotContaining("glob:**/.tmp-closed-*");
		}
		finally {
			again.release();
		}
		reconcile();
		assertThat(directory).doesNotExist();
	}

	/** A version of one document per body, ingested, not sealed. */
	private VersionRef ingestedVersion(String... bodies) {
		long version = createVersion("none");
		List<Map<String, Object>> documents = java.util.Arrays.stream(bodies)
			.map((body) -> doc(unique("local"), "Shore", body))
			.toList();
		assertThat(api().put("/brain/versions/" + version + "/documents", Map.of("documents", documents)).status())
			.isEqualTo(200);
		JsonNode ingested = awaitIngested(version, Duration.ofSeconds(30));
		String model = ingested.path("embeddingModel").isTextual() ? ingested.get("embeddingModel").asText() : null;
		return new VersionRef(version, this.contents.summarize(version, model).checksum());
	}

	/** Changes what the sync fingerprints (the number of versions) and reconciles. */
	private void reconcile() {
		createVersion("none");
		this.sync.refresh();
	}

}
