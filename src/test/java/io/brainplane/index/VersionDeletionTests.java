package io.brainplane.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class VersionDeletionTests extends IntegrationTest {

	@Autowired
	private VersionService versions;

	@Test
	void aBuildingVersionIsDeletedWithItsMembershipAndJobs() {
		long version = createVersion("none");
		assertThat(api()
			.put("/brain/versions/" + version + "/documents",
					Map.of("documents", List.of(doc(unique("d"), "Gone", "Never sealed."))))
			.status()).isEqualTo(200);
		assertThat(rows("version_member", version)).isPositive();
		assertThat(rows("ingest_job", version)).isPositive();
		Api.Response deleted = api().delete("/brain/versions/" + version);
		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		assertProblem(api().get("/brain/versions/" + version), 404, "No index version " + version);
		assertThat(rows("version_member", version)).isZero();
		assertThat(rows("ingest_job", version)).isZero();
		assertProblem(api().delete("/brain/versions/" + version), 404, "No index version " + version);
	}

	@Test
	void aSealedVersionIsDeletedAndLeavesThisReplicasDisk() {
		long version = sealedVersion("none", List.of(doc(unique("d"), "Sealed", "Sealed and then deleted.")));
		String checksum = api().get("/brain/versions/" + version).json().get("checksum").asText();
		Path local = DATA_DIR.resolve("index").resolve(new VersionRef(version, checksum).directoryName());
		// a fresh READY version is opened on every replica, ready to be activated
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(local));
		// a version built on it keeps its documents
		long child = sealedVersion(Long.toString(version), List.of(doc(unique("d"), "Child", "Built on it.")));
		this.versions.delete(version);
		assertThat(api().get("/brain/versions/" + version).status()).isEqualTo(404);
		await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(local));
		assertThat(api().get("/brain/versions/" + child).json().get("documentCount").asInt()).isEqualTo(2);
		assertThat(api().get("/brain/versions/" + child).json().get("parent").isNull()).isTrue();
	}

	@Test
	void theActiveVersionAndTheRollbackTargetCannotBeDeleted() {
		long older = sealedVersion("none", List.of(doc(unique("d"), "Older", "The version before.")));
		activate(older);
		long newer = sealedVersion("none", List.of(doc(unique("d"), "Newer", "The version now.")));
		activate(newer);
		long spare = sealedVersion("none", List.of(doc(unique("d"), "Spare", "Neither.")));
		assertProblem(api().delete("/brain/versions/" + newer), 409, "is active");
		assertProblem(api().delete("/brain/versions/" + older), 409, "rollback");
		assertThat(api().get("/brain/versions/" + newer).json().get("state").asText()).isEqualTo("ACTIVE");
		assertThat(api().get("/brain/versions/" + older).json().get("state").asText()).isEqualTo("RETIRED");
		assertProblem(readerApi().delete("/brain/versions/" + spare), 403, "");
		assertThat(api().delete("/brain/versions/" + spare).status()).isEqualTo(204);
		assertThat(api().get("/brain/versions/" + spare).status()).isEqualTo(404);
	}

	private static void assertProblem(Api.Response response, int status, String detailContains) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asText()).contains(detailContains);
	}

	private long rows(String table, long version) {
		return this.jdbc.sql("select count(*) from " + table + " where version = ?")
			.param(version)
			.query(Long.class)
			.single();
	}

}
