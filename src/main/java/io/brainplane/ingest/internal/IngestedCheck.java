package io.brainplane.ingest.internal;

import java.util.ArrayList;
import java.util.List;

import io.brainplane.index.IngestProgress;
import io.brainplane.index.SealCheck;
import io.brainplane.index.VersionLookup;
import io.brainplane.index.VersionRef;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seal check: no ingestion job of the version failed, every document has all of its
 * chunks, and (for a version with a model) every chunk has a vector from that model.
 */
@Component
@Order(10)
public class IngestedCheck implements SealCheck {

	private final JdbcClient jdbc;

	private final IngestJobs jobs;

	private final VersionLookup versions;

	IngestedCheck(JdbcClient jdbc, IngestJobs jobs, VersionLookup versions) {
		this.jdbc = jdbc;
		this.jobs = jobs;
		this.versions = versions;
	}

	@Override
	public List<String> check(VersionRef version) {
		List<String> failures = new ArrayList<>();
		String model = this.versions.embeddingModel(version.version()).orElse(null);
		IngestProgress progress = this.jobs.progress(version.version(), model);
		if (progress.failed() > 0) {
			failures.add("ingestion failed for " + progress.failed() + " documents (" + progress.error()
					+ "); POST /brain/versions/" + version.version() + "/jobs/retry queues them again");
			return failures;
		}
		List<String> unchunked = this.jdbc
			.sql("""
					select m.document_key from version_member m join document_revision r on r.id = m.revision_id
					where m.version = ?
					  and (r.chunk_count is null or r.chunk_count <> (select count(*) from chunk c where c.revision_id = r.id))
					order by m.document_key limit 5
					""")
			.param(version.version())
			.query(String.class)
			.list();
		if (!unchunked.isEmpty()) {
			failures.add("documents not fully chunked: " + String.join(", ", unchunked));
		}
		else if (progress.chunks() != progress.embedded() && model != null) {
			failures.add((progress.chunks() - progress.embedded()) + " of " + progress.chunks()
					+ " chunks have no vector from the version's embedding model");
		}
		return failures;
	}

}
