package io.brainplane.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.brainplane.index.IngestState;
import io.brainplane.index.VersionLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes what the ingest module's tables hold for no version, in bounded batches (each
 * its own statement, so a collector killed at any point leaves every row either deleted
 * or intact, and the next run carries on): revisions no version's membership points at
 * (with their chunks), embeddings no chunk has, and finished ingestion jobs past their
 * retention. Called by the garbage collector, never on a request.
 * <p>
 * Safe against concurrent ingestion: a revision is only deleted when no membership points
 * at it and it is older than the grace period; a membership row added meanwhile makes the
 * foreign key refuse the delete (the revision is then skipped), and ingestion reading an
 * existing revision locks it ({@code for key share}) until its membership is written.
 */
@Component
public class IngestRetention {

	private static final Logger log = LoggerFactory.getLogger(IngestRetention.class);

	private final JdbcClient jdbc;

	private final VersionLookup versions;

	IngestRetention(JdbcClient jdbc, VersionLookup versions) {
		this.jdbc = jdbc;
		this.versions = versions;
	}

	/**
	 * Deletes revisions created before {@code createdBefore} that no version holds, with
	 * their chunks, {@code batch} revisions a statement.
	 */
	public Freed sweepRevisions(Instant createdBefore, int batch) {
		long revisions = 0;
		long chunks = 0;
		long after = 0;
		while (true) {
			List<Long> ids = this.jdbc.sql("""
					select id from document_revision where id > ? and created_at < ? order by id limit ?
					""").params(after, Timestamp.from(createdBefore), batch).query(Long.class).list();
			if (ids.isEmpty()) {
				break;
			}
			after = ids.get(ids.size() - 1);
			Set<Long> orphans = unreferenced(ids);
			if (orphans.isEmpty()) {
				continue;
			}
			try {
				Freed freed = deleteRevisions(orphans);
				revisions += freed.revisions();
				chunks += freed.chunks();
			}
			catch (DataIntegrityViolationException ex) {
				// one of them was taken into a version meanwhile: one by one
				for (long id : orphans) {
					try {
						Freed freed = deleteRevisions(Set.of(id));
						revisions += freed.revisions();
						chunks += freed.chunks();
					}
					catch (DataIntegrityViolationException referenced) {
						log.debug("Revision {} is referenced again; kept", id);
					}
				}
			}
		}
		return new Freed(revisions, chunks);
	}

	/** The revisions among these that no version's membership points at. */
	private Set<Long> unreferenced(List<Long> ids) {
		return new java.util.HashSet<>(this.jdbc.sql("""
				select r from unnest(?::bigint[]) as t(r)
				where not exists (select 1 from version_member m where m.revision_id = t.r)
				""").param(ids.toArray(Long[]::new)).query(Long.class).list());
	}

	private Freed deleteRevisions(Set<Long> ids) {
		List<Integer> chunkCounts = this.jdbc
			.sql("delete from document_revision where id = any(?) returning coalesce(chunk_count, 0)")
			.param(ids.toArray(Long[]::new))
			.query(Integer.class)
			.list();
		return new Freed(chunkCounts.size(), chunkCounts.stream().mapToLong(Integer::longValue).sum());
	}

	/**
	 * Deletes embeddings created before {@code createdBefore} whose text no chunk has any
	 * more, walking the table {@code batch} rows at a time.
	 */
	public long sweepEmbeddings(Instant createdBefore, int batch) {
		long deleted = 0;
		String model = "";
		byte[] hash = new byte[0];
		while (true) {
			List<Object[]> keys = this.jdbc.sql("""
					select model, embed_sha256 from chunk_embedding where (model, embed_sha256) > (?, ?)
					order by model, embed_sha256 limit ?
					""")
				.params(model, hash, batch)
				.query((rs, row) -> new Object[] { rs.getString(1), rs.getBytes(2) })
				.list();
			if (keys.isEmpty()) {
				break;
			}
			Object[] last = keys.get(keys.size() - 1);
			model = (String) last[0];
			hash = (byte[]) last[1];
			List<String> models = new ArrayList<>();
			List<byte[]> hashes = new ArrayList<>();
			keys.forEach((key) -> {
				models.add((String) key[0]);
				hashes.add((byte[]) key[1]);
			});
			deleted += this.jdbc.sql("""
					delete from chunk_embedding e using unnest(?::text[], ?::bytea[]) as k(model, hash)
					where e.model = k.model and e.embed_sha256 = k.hash and e.created_at < ?
					  and not exists (select 1 from chunk c where c.embed_sha256 = e.embed_sha256)
					""")
				.params(models.toArray(String[]::new), hashes.toArray(byte[][]::new), Timestamp.from(createdBefore))
				.update();
		}
		return deleted;
	}

	/**
	 * Deletes finished ({@code DONE} or {@code FAILED}) ingestion jobs that finished
	 * before the instant, except those of versions still {@code BUILDING} (their progress
	 * is counted from them).
	 */
	public long pruneJobs(Instant finishedBefore, int batch) {
		Long[] building = this.versions.building().toArray(Long[]::new);
		long deleted = 0;
		while (true) {
			int count = this.jdbc.sql("""
					delete from ingest_job where id in (
					    select id from ingest_job
					    where state in %s and finished_at < ? and not (version = any(?))
					    limit ?)
					""".formatted(IngestState.sqlList((state) -> !state.pending())))
				.params(Timestamp.from(finishedBefore), building, batch)
				.update();
			deleted += count;
			if (count < batch) {
				return deleted;
			}
		}
	}

	/**
	 * What a sweep deleted.
	 */
	public record Freed(long revisions, long chunks) {
	}

}
