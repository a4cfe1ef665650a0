package io.brainplane.ingest;

import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Streams a version's chunks from PostgreSQL without holding them all in memory (a
 * cursor, fetched in batches), for building a local index.
 */
@Component
public class ChunkSource {

	private static final int FETCH_SIZE = 2000;

	private final JdbcTemplate jdbc;

	ChunkSource(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public void forEachChunk(long version, Consumer<IndexableChunk> consumer) {
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					select c.id, m.document_key, c.ordinal, r.title, c.text, r.source, r.metadata::text
					from version_member m
					join document_revision r on r.id = m.revision_id
					join chunk c on c.revision_id = r.id
					where m.version = ?
					""");
			statement.setFetchSize(FETCH_SIZE);
			statement.setLong(1, version);
			return statement;
		}, (rs) -> {
			consumer.accept(new IndexableChunk(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7)));
		});
	}

}
