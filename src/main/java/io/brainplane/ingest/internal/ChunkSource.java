package io.brainplane.ingest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.brainplane.embed.Vectors;
import io.brainplane.index.IndexableChunk;
import io.brainplane.index.VersionChunks;
import io.brainplane.index.VersionLookup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Streams a version's chunks, with their vectors from the version's model, from
 * PostgreSQL without holding them all in memory (a cursor, fetched in batches), for
 * building a local index. The version's model is read once, through the index module's
 * API, and passed to the one streaming query.
 */
@Component
class ChunkSource implements VersionChunks {

	private static final int FETCH_SIZE = 2000;

	private final JdbcTemplate jdbc;

	private final JdbcClient client;

	private final VersionLookup versions;

	ChunkSource(JdbcTemplate jdbc, VersionLookup versions) {
		this.jdbc = jdbc;
		this.client = JdbcClient.create(jdbc);
		this.versions = versions;
	}

	@Override
	public Optional<String> embeddingModel(long version) {
		return this.versions.embeddingModel(version);
	}

	@Override
	@Transactional(readOnly = true)
	public void forEachChunk(long version, Consumer<IndexableChunk> consumer) {
		stream(version, null, consumer);
	}

	@Override
	@Transactional(readOnly = true)
	public void forEachChunkNotIn(long version, long base, Consumer<IndexableChunk> consumer) {
		stream(version, base, consumer);
	}

	@Override
	@Transactional(readOnly = true)
	public Change change(long version, long base) {
		// the keys the version changed since its base, each looked up in both
		String[] changed = Membership.changedKeys(this.client, version);
		List<String> keys = new ArrayList<>();
		long[] removedChunks = { 0 };
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					select k.document_key, coalesce(r.chunk_count, 0)
					from unnest(?::text[]) k (document_key)
					join version_member b on b.version = ? and b.document_key = k.document_key
					join document_revision r on r.id = b.revision_id
					left join version_member v on v.version = ? and v.document_key = k.document_key
					where v.revision_id is distinct from b.revision_id
					""");
			statement.setFetchSize(FETCH_SIZE);
			statement.setArray(1, connection.createArrayOf("text", changed));
			statement.setLong(2, base);
			statement.setLong(3, version);
			return statement;
		}, (rs) -> {
			keys.add(rs.getString(1));
			removedChunks[0] += rs.getLong(2);
		});
		Long added = this.client.sql("""
				select coalesce(sum(r.chunk_count), 0)
				from unnest(cast(:keys as text[])) k (document_key)
				join version_member m on m.version = :version and m.document_key = k.document_key
				join document_revision r on r.id = m.revision_id
				left join version_member p on p.version = :base and p.document_key = k.document_key
				where p.revision_id is distinct from m.revision_id
				""").param("keys", changed).param("version", version).param("base", base).query(Long.class).single();
		return new Change(List.copyOf(keys), removedChunks[0], (added != null) ? added : 0);
	}

	private void stream(long version, Long base, Consumer<IndexableChunk> consumer) {
		String model = embeddingModel(version).orElse(null);
		// with a base: the members of the keys the version changed since it (looked up by
		// key) whose revision differs from the base's
		String[] changed = (base != null) ? Membership.changedKeys(this.client, version) : null;
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					select c.id, m.document_key, c.ordinal, r.title, c.text, r.source, r.metadata::text, e.vector
					""" + ((base != null) ? """
					from unnest(?::text[]) k (document_key)
					join version_member m on m.version = ? and m.document_key = k.document_key
					""" : """
					from version_member m
					""") + """
					join document_revision r on r.id = m.revision_id
					join chunk c on c.revision_id = r.id
					left join chunk_embedding e on e.model = ? and e.embed_sha256 = c.embed_sha256
					""" + ((base != null) ? """
					where not exists (select 1 from version_member p
					    where p.version = ? and p.document_key = m.document_key and p.revision_id = m.revision_id)
					""" : """
					where m.version = ?
					"""));
			statement.setFetchSize(FETCH_SIZE);
			int index = 1;
			if (base != null) {
				statement.setArray(index++, connection.createArrayOf("text", changed));
				statement.setLong(index++, version);
			}
			statement.setString(index++, model);
			statement.setLong(index, (base != null) ? base : version);
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
