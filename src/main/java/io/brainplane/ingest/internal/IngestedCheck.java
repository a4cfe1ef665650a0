package io.brainplane.ingest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.brainplane.index.IndexVersion;
import io.brainplane.index.IngestProgress;
import io.brainplane.index.IngestState;
import io.brainplane.index.SealCheck;
import io.brainplane.index.VersionLookup;
import io.brainplane.index.VersionRef;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seal check: no ingestion job of the version failed, every document has all of its
 * chunks, and (for a version with a model) every chunk has a vector from that model.
 * <p>
 * A version built on a sealed base with the same model is checked for the documents it
 * changed or added only: the base's seal checked the others, and their revisions, chunks
 * and vectors never change. So a version changing 10 documents of a million-chunk brain
 * reads the chunks and vectors of 10 documents, not of the brain.
 */
@Component
@Order(10)
public class IngestedCheck implements SealCheck {

	/**
	 * Over the members to check ({@code m}: key, revision id, chunk count): up to five
	 * keys not fully chunked, their chunks, and how many of those have no vector from the
	 * model.
	 */
	private static final String COUNTS = """
			select (select string_agg(document_key, ', ' order by document_key) from (
			            select document_key from m
			            where m.chunk_count is null
			               or m.chunk_count <> (select count(*) from chunk c where c.revision_id = m.id)
			            order by document_key limit 5) u) as unchunked,
			       (select count(*) from m join chunk c on c.revision_id = m.id) as chunks,
			       (select count(*) from m join chunk c on c.revision_id = m.id
			        where cast(:model as text) is not null and not exists (select 1 from chunk_embedding e
			            where e.model = cast(:model as text) and e.embed_sha256 = c.embed_sha256)) as unembedded
			""";

	private static final RowMapper<Unchecked> UNCHECKED = (rs, row) -> new Unchecked(rs.getString("unchunked"),
			rs.getLong("chunks"), rs.getLong("unembedded"));

	private final JdbcClient jdbc;

	private final IngestJobs jobs;

	private final VersionLookup versions;

	IngestedCheck(JdbcClient jdbc, IngestJobs jobs, VersionLookup versions) {
		this.jdbc = jdbc;
		this.jobs = jobs;
		this.versions = versions;
	}

	@Override
	public String name() {
		return "ingested-check";
	}

	@Override
	public List<String> check(VersionRef version) {
		List<String> failures = new ArrayList<>();
		IndexVersion current = this.versions.find(version.version()).orElse(null);
		String model = (current != null) ? current.embeddingModel() : null;
		if (this.jobs.state(version.version()) == IngestState.FAILED) {
			IngestProgress progress = this.jobs.progress(version.version(), model);
			failures.add("ingestion failed for " + progress.failed() + " documents (" + progress.error()
					+ "); POST /brain/versions/" + version.version() + "/jobs/retry queues them again");
			return failures;
		}
		Long base = (current != null) ? checkedBase(current) : null;
		Unchecked unchecked = (base != null) ? changedSince(version.version(), base, model) : this.jdbc.sql("""
				with m as (select m.document_key, r.id, r.chunk_count
				           from version_member m join document_revision r on r.id = m.revision_id
				           where m.version = :version)
				""" + COUNTS).param("version", version.version()).param("model", model).query(UNCHECKED).single();
		if (unchecked.unchunked() != null) {
			failures.add("documents not fully chunked: " + unchecked.unchunked());
		}
		else if (unchecked.unembedded() > 0) {
			failures.add(unchecked.unembedded() + " of " + unchecked.chunks() + " chunks "
					+ ((base != null) ? "of the documents changed since version " + base + " " : "")
					+ "have no vector from the version's embedding model");
		}
		return failures;
	}

	/**
	 * The check of the documents the version added or changed since its base, in two
	 * statements: the changed members first (the keys the version recorded as changed,
	 * each looked up in both memberships), then their chunks and vectors by revision,
	 * which the planner probes by index because it knows how many revisions it is given.
	 * (In one statement the planner cannot tell how few members the anti-join leaves, and
	 * at a million chunks it scanned every chunk and vector of the brain.)
	 */
	private Unchecked changedSince(long version, long base, String model) {
		Long[] revisions = this.jdbc.sql("select now from (" + Membership.CHANGED + ") c where now is not null")
			.param("keys", Membership.changedKeys(this.jdbc, version))
			.param("version", version)
			.param("base", base)
			.query(Long.class)
			.list()
			.toArray(Long[]::new);
		if (revisions.length == 0) {
			return new Unchecked(null, 0, 0);
		}
		return this.jdbc.sql("""
				with m as (select r.document_key, r.id, r.chunk_count from document_revision r
				           where r.id = any(cast(:revisions as bigint[])))
				""" + COUNTS).param("revisions", revisions).param("model", model).query(UNCHECKED).single();
	}

	/**
	 * The version's base when its seal already checked every document the version shares
	 * with it: sealed, with the same embedding model (or none).
	 */
	private Long checkedBase(IndexVersion version) {
		if (version.parent() == null) {
			return null;
		}
		return this.versions.find(version.parent())
			.filter((parent) -> parent.state().sealed()
					&& Objects.equals(parent.embeddingModel(), version.embeddingModel()))
			.map(IndexVersion::version)
			.orElse(null);
	}

	private record Unchecked(String unchunked, long chunks, long unembedded) {
	}

}
