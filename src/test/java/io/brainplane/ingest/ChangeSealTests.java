package io.brainplane.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sealing a version that changes a few documents of a sealed base costs in proportion to
 * the change: the seal's ingestion check reads the changed documents' chunks and vectors
 * only (the base's seal checked the rest, and revisions never change), and the seal logs
 * where its time went.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChangeSealTests extends IntegrationTest {

	@Test
	void aChangeSealChecksTheDocumentsChangedSinceItsSealedBaseOnly(CapturedOutput output) {
		String prefix = unique("cs");
		long base = sealedVersion("none",
				numberedDocs(prefix, 6, "Stone %d", "Granite block number %d lies in the quarry."));
		long version = createVersion(Long.toString(base));
		assertThat(api()
			.put("/brain/versions/" + version + "/documents",
					Map.of("documents",
							List.of(doc(prefix + "-1", "Changed", "Slate splits into thin roofing tiles."))))
			.status()).isEqualTo(200);
		awaitIngested(version, Duration.ofSeconds(60));
		// A document the version shares with its base looks unchunked now: the base's
		// seal checked it, so this seal does not read it again.
		long shared = revisionOf(version, prefix + "-3");
		this.jdbc.sql("update document_revision set chunk_count = chunk_count + 1 where id = ?").param(shared).update();
		try {
			Api.Response sealed = api().post("/brain/versions/" + version + "/seal", null);
			assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
		}
		finally {
			this.jdbc.sql("update document_revision set chunk_count = chunk_count - 1 where id = ?")
				.param(shared)
				.update();
		}
		// one line with the time of every step of the seal
		assertThat(output.getAll()).containsPattern("Sealed version " + version
				+ " in \\d+ ms \\(state \\d+ ms, wait \\d+ ms, contents \\d+ ms, jobs \\d+ ms, .*build \\d+ ms, "
				+ "publish \\d+ ms, lock \\d+ ms, jobs \\(locked\\) \\d+ ms, contents \\(locked\\) \\d+ ms, ingested-check \\d+ ms, smoke-check \\d+ ms, mark \\d+ ms, "
				+ "commit \\d+ ms, replica \\d+ ms\\)");

		// A document the version changed is checked.
		long next = createVersion(Long.toString(version));
		assertThat(api()
			.put("/brain/versions/" + next + "/documents",
					Map.of("documents",
							List.of(doc(prefix + "-2", "Changed", "Marble is polished for the hall floor."))))
			.status()).isEqualTo(200);
		awaitIngested(next, Duration.ofSeconds(60));
		long changed = revisionOf(next, prefix + "-2");
		this.jdbc.sql("update document_revision set chunk_count = chunk_count + 1 where id = ?")
			.param(changed)
			.update();
		try {
			Api.Response refused = api().post("/brain/versions/" + next + "/seal", null);
			assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
			assertThat(refused.json().get("detail").asText()).contains("documents not fully chunked: " + prefix + "-2");
		}
		finally {
			this.jdbc.sql("update document_revision set chunk_count = chunk_count - 1 where id = ?")
				.param(changed)
				.update();
		}
		assertThat(api().post("/brain/versions/" + next + "/seal", null).status()).isEqualTo(200);
	}

	private long revisionOf(long version, String key) {
		return this.jdbc.sql("select revision_id from version_member where version = ? and document_key = ?")
			.params(version, key)
			.query(Long.class)
			.single();
	}

}
