package io.brainplane.ingest;

import java.util.ArrayList;
import java.util.List;
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
		stream(version, null, consumer);
	}

	/**
	 * Streams only the chunks of the version's documents whose revision differs from the
	 * base's (changed or added ones): what an index built on the base's lacks.
	 */
	@Transactional(readOnly = true)
	public void forEachChunkNotIn(long version, long base, Consumer<IndexableChunk> consumer) {
		stream(version, base, consumer);
	}

	/**
	 * How the version differs from a base: the base's document keys whose revision the
	 * version changed or removed, and the chunk counts on each side.
	 */
	@Transactional(readOnly = true)
	public Change change(long version, long base) {
		List<String> keys = new ArrayList<>();
		long[] removedChunks = { 0 };
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					select b.document_key, coalesce(r.chunk_count, 0)
					from version_member b
					join document_revision r on r.id = b.revision_id
					left join version_member v on v.version = ? and v.document_key = b.document_key
					where b.version = ? and v.revision_id is distinct from b.revision_id
					""");
			statement.setFetchSize(FETCH_SIZE);
			statement.setLong(1, version);
			statement.setLong(2, base);
			return statement;
		}, (rs) -> {
			keys.add(rs.getString(1));
			removedChunks[0] += rs.getLong(2);
		});
		Long added = this.jdbc.queryForObject("""
				select coalesce(sum(r.chunk_count), 0)
				from version_member m join document_revision r on r.id = m.revision_id
				where m.version = ? and not exists (select 1 from version_member p
				    where p.version = ? and p.document_key = m.document_key and p.revision_id = m.revision_id)
				""", Long.class, version, base);
		return new Change(List.copyOf(keys), removedChunks[0], (added != null) ? added : 0);
	}

	private void stream(long version, Long base, Consumer<IndexableChunk> consumer) {
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					select c.id, m.document_key, c.ordinal, r.title, c.text, r.source, r.metadata::text, e.vector
					from version_member m
					join brain_index b on b.version = m.version
					join document_revision r on r.id = m.revision_id
					join chunk c on c.revision_id = r.id
					left join chunk_embedding e on e.model = b.embedding_model and e.embed_sha256 = c.embed_sha256
					where m.version = ?
					""" + ((base != null) ? """
					  and not exists (select 1 from version_member p
					      where p.version = ? and p.document_key = m.document_key and p.revision_id = m.revision_id)
					""" : ""));
			statement.setFetchSize(FETCH_SIZE);
			statement.setLong(1, version);
			if (base != null) {
				statement.setLong(2, base);
			}
			return statement;
		}, (rs) -> {
			consumer.accept(new IndexableChunk(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7), vector(rs.getBytes(8))));
		});
	}

	/**
	 * A version's difference from its base.
	 *
	 * @param removedKeys the base's documents the version changed or removed
	 * @param removedChunks how many chunks the base holds for them
	 * @param addedChunks how many chunks the version's changed and new documents have
	 */
	public record Change(List<String> removedKeys, long removedChunks, long addedChunks) {
	}

	private static float[] vector(byte[] bytes) {
		return (bytes != null) ? Vectors.fromBytes(bytes) : null;
	}

}
