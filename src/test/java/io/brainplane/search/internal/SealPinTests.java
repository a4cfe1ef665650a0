package io.brainplane.search.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * The local index a seal builds stays open and on disk from the seal's preparation until
 * it releases the version, whatever a reconcile decides meanwhile: the version is not
 * sealed yet, so the replica's sync sees no reason to keep it. (A reconcile between the
 * preparation and the check used to delete the directory under the check, which then
 * failed the seal with 422, or under a reader right after the seal.)
 */
class SealPinTests extends IntegrationTest {

	@Autowired
	private SmokeCheck smoke;

	@Autowired
	private LocalIndexes indexes;

	@Autowired
	private VersionContents contents;

	@Autowired
	private ReplicaSync sync;

	@Autowired
	private PlatformProperties platform;

	@Test
	void aVersionBeingSealedKeepsItsLocalIndexThroughReconcilesUntilReleased() {
		long version = createVersion("none");
		assertThat(
				api()
					.put("/brain/versions/" + version + "/documents",
							Map.of("documents",
									List.of(doc(unique("pin"), "Pinned", "Limpets cling to rocks at low tide."),
											doc(unique("pin"), "Also", "Barnacles filter the passing water."))))
					.status())
			.isEqualTo(200);
		JsonNode ingested = awaitIngested(version, Duration.ofSeconds(30));
		String model = ingested.path("embeddingModel").isTextual() ? ingested.get("embeddingModel").asText() : null;
		VersionRef ref = new VersionRef(version, this.contents.summarize(version, model).checksum());
		Path directory = this.platform.indexDir().resolve(ref.directoryName());

		this.smoke.prepare(ref);
		assertThat(directory).isDirectory();
		reconcile();
		assertThat(directory).as("reconciled between the seal's preparation and its check").isDirectory();
		assertThat(this.smoke.check(ref)).isEmpty();
		reconcile();
		assertThat(directory).as("reconciled between the seal's check and its commit").isDirectory();
		assertThat(this.indexes.acquireOpen(version)).hasValueSatisfying(VersionIndex::release);

		this.smoke.release(ref);
		reconcile();
		// the control: once released, the same reconcile drops the unsealed version
		assertThat(directory).doesNotExist();
		assertThat(this.indexes.acquireOpen(version)).isEmpty();
	}

	/** Changes what the sync fingerprints (the number of versions) and reconciles. */
	private void reconcile() {
		createVersion("none");
		this.sync.refresh();
	}

}
