package io.brainplane.ingest;

import java.util.Optional;
import java.util.function.Consumer;

import io.brainplane.embed.Vectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Streams a version's chunks, with their vectors from the version's model, from
 * PostgreSQL without holding them all in memory (a cursor, fetched in batches), for
 * building a local index.
 */
@Component
public class ChunkSource {

	private static final int FETCH_SIZE = 2000;

	private final JdbcTemplate jdbc;

	ChunkSource(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The model a version's vectors come from, or empty when it is lexical only.
	 */
	public Optional<String> embeddingModel(long version) {
		return Optional.ofNullable(this.jdbc.queryForObject("select embedding_model from brain_index where version = ?",
				String.class, version));
	}

	@Transactional(readOnly = true)
	public void forEachChunk(long version, Consumer<IndexableChunk> consumer) {
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					select c.id, m.document_key, c.ordinal, r.title, c.text, r.source, r.metadata::text, e.vector
					from version_member m
					join brain_index b on b.version = m.version
					join document_revision r on r.id = m.revision_id
					join chunk c on c.revision_id = r.id
					left join chunk_embedding e on e.model = b.embedding_model and e.embed_sha256 = c.embed_sha256
					where m.version = ?
					""");
			statement.setFetchSize(FETCH_SIZE);
			statement.setLong(1, version);
			return statement;
		}, (rs) -> {
			consumer.accept(new IndexableChunk(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7), vector(rs.getBytes(8))));
		});
	}

	private static float[] vector(byte[] bytes) {
		return (bytes != null) ? Vectors.fromBytes(bytes) : null;
	}

}
