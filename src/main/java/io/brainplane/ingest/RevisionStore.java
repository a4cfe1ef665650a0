package io.brainplane.ingest;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Content-addressed revisions and their chunks. A revision is written once, the first
 * time its (key, hash) is seen; every later version holding the same content points at
 * it.
 */
@Repository
class RevisionStore {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final Chunker chunker;

	RevisionStore(JdbcClient jdbc, JdbcTemplate template, IngestProperties properties) {
		this.jdbc = jdbc;
		this.template = template;
		this.chunker = new Chunker(properties.chunkSize(), properties.chunkOverlap());
	}

	/**
	 * Revision ids by document key, inserting the revisions (and chunks) not stored yet.
	 */
	Map<String, Long> store(List<PreparedDocument> documents) {
		Map<String, Long> ids = existing(documents);
		Map<Long, List<Chunker.Chunk>> fresh = new LinkedHashMap<>();
		for (PreparedDocument document : documents) {
			if (ids.containsKey(document.key())) {
				continue;
			}
			List<Chunker.Chunk> chunks = this.chunker.chunk(document.content());
			Long id = this.jdbc.sql("""
					insert into document_revision (document_key, content_sha256, title, source, metadata, content,
					                               content_bytes, chunk_count)
					values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)
					on conflict (document_key, content_sha256) do nothing
					returning id
					""")
				.params(document.key(), document.sha256(), document.title(), document.source(), document.metadataJson(),
						document.content(), document.contentBytes(), chunks.size())
				.query(Long.class)
				.optional()
				.orElse(null);
			if (id == null) {
				// Another call stored the same content concurrently.
				id = lookup(document);
			}
			else {
				fresh.put(id, chunks);
			}
			ids.put(document.key(), id);
		}
		insertChunks(fresh);
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
				""").param(hashByKey.keySet().toArray(String[]::new)).query((rs, row) -> {
			if (rs.getString(3).equals(hashByKey.get(rs.getString(1)))) {
				ids.put(rs.getString(1), rs.getLong(2));
			}
			return null;
		}).list();
		return ids;
	}

	private long lookup(PreparedDocument document) {
		return this.jdbc.sql("select id from document_revision where document_key = ? and content_sha256 = ?")
			.params(document.key(), document.sha256())
			.query(Long.class)
			.single();
	}

	private void insertChunks(Map<Long, List<Chunker.Chunk>> chunksByRevision) {
		List<Object[]> rows = new ArrayList<>();
		chunksByRevision.forEach((revision, chunks) -> chunks.forEach((chunk) -> rows
			.add(new Object[] { revision, chunk.ordinal(), chunk.text(), chunk.start(), chunk.end() })));
		this.template.batchUpdate(
				"insert into chunk (revision_id, ordinal, text, start_offset, end_offset) values (?, ?, ?, ?, ?)", rows,
				500, (PreparedStatement ps, Object[] row) -> {
					for (int i = 0; i < row.length; i++) {
						ps.setObject(i + 1, row[i]);
					}
				});
	}

}
