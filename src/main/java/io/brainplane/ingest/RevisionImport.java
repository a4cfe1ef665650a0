package io.brainplane.ingest;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.brainplane.index.VersionService;
import io.brainplane.ingest.internal.IngestWorkers;
import io.brainplane.ingest.internal.Membership;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Brings back revisions, their chunks and vectors taken from elsewhere (a backup) as they
 * were, without chunking or embedding them again: a revision whose (key, content hash) is
 * stored already is reused as it is, any other one is inserted with its chunks; a vector
 * already stored for its model and text is kept. Everything runs in the caller's
 * transaction.
 */
@Service
public class RevisionImport {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final IngestWorkers workers;

	private final Membership membership;

	private final VersionService versions;

	RevisionImport(JdbcClient jdbc, JdbcTemplate template, IngestWorkers workers, Membership membership,
			VersionService versions) {
		this.jdbc = jdbc;
		this.template = template;
		this.workers = workers;
		this.membership = membership;
		this.versions = versions;
	}

	/**
	 * Stores the revisions not stored yet, with their chunks, and makes them the
	 * documents of the building version under their keys.
	 * @return the revision id for each document key
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Map<String, Long> add(long version, List<Revision> revisions) {
		Long base = this.versions.requireBuilding(version);
		Map<String, Long> ids = store(revisions);
		this.membership.apply(version, base, ids, List.of());
		return ids;
	}

	private Map<String, Long> store(List<Revision> revisions) {
		Map<String, Long> ids = new LinkedHashMap<>();
		for (Revision revision : revisions) {
			Long existing = this.jdbc
				.sql("select id from document_revision where document_key = ? and content_sha256 = ?")
				.params(revision.documentKey(), revision.contentSha256())
				.query(Long.class)
				.optional()
				.orElse(null);
			if (existing != null) {
				ids.put(revision.documentKey(), existing);
				continue;
			}
			// Chunks come only with a chunked revision; one without is chunked again by
			// the
			// job queued by complete().
			boolean chunked = revision.chunkCount() != null && revision.chunkCount() == revision.chunks().size();
			long id = this.jdbc.sql("""
					insert into document_revision (document_key, content_sha256, title, source, metadata, content,
					                               content_bytes, chunk_count)
					values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)
					returning id
					""")
				.params(revision.documentKey(), revision.contentSha256(), revision.title(), revision.source(),
						revision.metadataJson(), revision.content(), revision.contentBytes(),
						chunked ? revision.chunkCount() : null)
				.query(Long.class)
				.single();
			if (chunked && !revision.chunks().isEmpty()) {
				List<Object[]> rows = new ArrayList<>();
				for (Chunk chunk : revision.chunks()) {
					rows.add(new Object[] { id, chunk.ordinal(), chunk.text(), chunk.startOffset(), chunk.endOffset(),
							chunk.embedSha256() });
				}
				this.template.batchUpdate(
						"insert into chunk (revision_id, ordinal, text, start_offset, end_offset, embed_sha256) values (?, ?, ?, ?, ?, ?)",
						rows, 500, (PreparedStatement ps, Object[] row) -> {
							for (int i = 0; i < row.length; i++) {
								ps.setObject(i + 1, row[i]);
							}
						});
			}
			ids.put(revision.documentKey(), id);
		}
		return ids;
	}

	/**
	 * Stores the vectors not stored yet for their model and text.
	 * @return how many were new
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int storeEmbeddings(List<Embedding> embeddings) {
		if (embeddings.isEmpty()) {
			return 0;
		}
		int[][] counts = this.template.batchUpdate("""
				insert into chunk_embedding (model, embed_sha256, dimension, vector) values (?, ?, ?, ?)
				on conflict (model, embed_sha256) do nothing
				""", embeddings, 500, (ps, embedding) -> {
			ps.setString(1, embedding.model());
			ps.setBytes(2, embedding.embedSha256());
			ps.setInt(3, embedding.dimension());
			ps.setBytes(4, embedding.vector());
		});
		int stored = 0;
		for (int[] batch : counts) {
			for (int count : batch) {
				stored += Math.max(count, 0);
			}
		}
		return stored;
	}

	/**
	 * Queues, with the caller's transaction, the ingestion job that chunks and embeds
	 * whatever the version's documents still lack (revisions stored without chunks,
	 * vectors of the version's model): done at once when nothing is missing. A seal waits
	 * for it as for any ingestion.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void complete(long version) {
		this.workers.enqueueAll(version);
	}

	/**
	 * A revision as stored elsewhere.
	 *
	 * @param metadataJson the metadata as a JSON object text
	 * @param chunkCount null when it was never chunked
	 * @param chunks its chunks, in order
	 */
	public record Revision(String documentKey, byte[] contentSha256, @Nullable String title, @Nullable String source,
			String metadataJson, String content, int contentBytes, @Nullable Integer chunkCount, List<Chunk> chunks) {

		@Override
		public String toString() {
			return "Revision[" + this.documentKey + ", " + HexFormat.of().formatHex(this.contentSha256) + "]";
		}

	}

	/** A chunk of a revision. */
	public record Chunk(int ordinal, String text, int startOffset, int endOffset, byte[] embedSha256) {
	}

	/** A stored vector: float32 little-endian, unit length. */
	public record Embedding(String model, byte[] embedSha256, int dimension, byte[] vector) {
	}

}
