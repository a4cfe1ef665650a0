package io.brainplane.ingest.internal;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.brainplane.platform.Sha256;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;

/**
 * Content-addressed revisions and their chunks. A revision is written once, the first
 * time its (key, hash) is seen; every later version holding the same content points at
 * it. Its chunks are written once too, by the first ingestion job that gets to it.
 */
@Repository
public class RevisionStore {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final Chunker chunker;

	RevisionStore(JdbcClient jdbc, JdbcTemplate template, IngestProperties properties) {
		this.jdbc = jdbc;
		this.template = template;
		this.chunker = new Chunker(properties.chunkSize(), properties.chunkOverlap());
	}

	/**
	 * Revision ids by document key, inserting the revisions not stored yet. Existing
	 * revisions are locked ({@code for key share}) for the caller's transaction, so the
	 * garbage collector cannot delete one between this lookup and the membership pointing
	 * at it. New revisions are not chunked yet ({@code chunk_count} null): an ingestion
	 * job does that.
	 */
	Map<String, Long> store(List<PreparedDocument> documents) {
		Map<String, Long> ids = existing(documents);
		for (PreparedDocument document : documents) {
			if (ids.containsKey(document.key())) {
				continue;
			}
			Long id = this.jdbc.sql("""
					insert into document_revision (document_key, content_sha256, title, source, metadata, content,
					                               content_bytes)
					values (?, ?, ?, ?, ?::jsonb, ?, ?)
					on conflict (document_key, content_sha256) do nothing
					returning id
					""")
				.params(document.key(), document.sha256(), document.title(), document.source(), document.metadataJson(),
						document.content(), document.contentBytes())
				.query(Long.class)
				.optional()
				.orElse(null);
			// null: another call stored the same content concurrently
			ids.put(document.key(), (id != null) ? id : lookup(document));
		}
		return ids;
	}

	private Map<String, Long> existing(List<PreparedDocument> documents) {
		Map<String, Long> ids = new LinkedHashMap<>();
		if (documents.isEmpty()) {
			return ids;
		}
		Map<String, String> hashByKey = new HashMap<>();
		documents.forEach((d) -> hashByKey.put(d.key(), HexFormat.of().formatHex(d.sha256())));
		this.jdbc.sql("""
				select r.document_key, r.id, encode(r.content_sha256, 'hex')
				from unnest(?::text[]) as t(k) join document_revision r on r.document_key = t.k
				for key share of r
				""").param(hashByKey.keySet().toArray(String[]::new)).query((rs, row) -> {
			if (rs.getString(3).equals(hashByKey.get(rs.getString(1)))) {
				ids.put(rs.getString(1), rs.getLong(2));
			}
			return null;
		}).list();
		return ids;
	}

	private long lookup(PreparedDocument document) {
		return this.jdbc
			.sql("select id from document_revision where document_key = ? and content_sha256 = ? for key share")
			.params(document.key(), document.sha256())
			.query(Long.class)
			.single();
	}

	/**
	 * Cuts the revision into chunks and stores them, unless another job already did.
	 * @return the number of chunks stored, or -1 when it was chunked already
	 */
	int chunk(long revision, @Nullable String title, String content) {
		List<Chunker.Chunk> chunks = this.chunker.chunk(content);
		int claimed = this.jdbc.sql("update document_revision set chunk_count = ? where id = ? and chunk_count is null")
			.params(chunks.size(), revision)
			.update();
		if (claimed == 0) {
			return -1;
		}
		String prefix = EmbeddingText.prefix(title);
		List<Object[]> rows = new ArrayList<>();
		chunks.forEach((chunk) -> rows.add(new Object[] { revision, chunk.ordinal(), chunk.text(), chunk.start(),
				chunk.end(), Sha256.of(prefix + chunk.text()) }));
		this.template.batchUpdate(
				"insert into chunk (revision_id, ordinal, text, start_offset, end_offset, embed_sha256) values (?, ?, ?, ?, ?, ?)",
				rows, 500, (PreparedStatement ps, Object[] row) -> {
					for (int i = 0; i < row.length; i++) {
						ps.setObject(i + 1, row[i]);
					}
				});
		return chunks.size();
	}

}
