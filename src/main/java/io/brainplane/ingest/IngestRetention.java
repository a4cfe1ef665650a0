package io.brainplane.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.brainplane.index.IngestState;
import io.brainplane.index.VersionLookup;
import io.brainplane.ingest.internal.WebhookDeliveries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Deletes what the ingest module's tables hold for no version, in bounded batches (each
 * its own statement, so a collector killed at any point leaves every row either deleted
 * or intact, and the next run carries on): revisions no version's membership points at
 * (with their chunks), embeddings no chunk has, finished ingestion jobs and webhook
 * deliveries past their retention. Called by the garbage collector, never on a request.
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
	 * their chunks: examines at most {@code limit} revisions, {@code batch} a statement,
	 * walking the primary key from where the previous sweep stopped (the cursor in
	 * {@code ingest_sweep_cursor}, saved after every batch) and wrapping round at the end
	 * of the table, so a run's cost is bounded whatever the table's size and successive
	 * runs cover all of it. Each batch is one index range scan plus one probe of
	 * {@code version_member (revision_id)} per revision.
	 */
	public Freed sweepRevisions(Instant createdBefore, int batch, long limit) {
		long revisions = 0;
		long chunks = 0;
		long start = this.jdbc.sql("select after_id from ingest_sweep_cursor where sweep = 'revisions'")
			.query(Long.class)
			.optional()
			.orElse(0L);
		long after = start;
		// after wrapping round, the sweep stops where this run started
		long upTo = Long.MAX_VALUE;
		long examined = 0;
		while (examined < limit) {
			List<Long> ids = this.jdbc.sql("""
					select id from document_revision where id > ? and id <= ? and created_at < ? order by id limit ?
					""")
				.params(after, upTo, Timestamp.from(createdBefore), (int) Math.min(batch, limit - examined))
				.query(Long.class)
				.list();
			if (ids.isEmpty()) {
				if (upTo == Long.MAX_VALUE && start > 0) {
					upTo = start;
					after = 0;
					continue;
				}
				break;
			}
			examined += ids.size();
			after = ids.get(ids.size() - 1);
			Set<Long> orphans = unreferenced(ids);
			if (!orphans.isEmpty()) {
				Freed freed = delete(orphans);
				revisions += freed.revisions();
				chunks += freed.chunks();
			}
			saveCursor("revisions", after, null, null);
		}
		if (examined < limit) {
			// walked the whole table: the next run starts from the beginning
			saveCursor("revisions", 0L, null, null);
		}
		return new Freed(revisions, chunks);
	}

	private Freed delete(Set<Long> orphans) {
		try {
			return deleteRevisions(orphans);
		}
		catch (DataIntegrityViolationException ex) {
			// one of them was taken into a version meanwhile: one by one
			long revisions = 0;
			long chunks = 0;
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
			return new Freed(revisions, chunks);
		}
	}

	private void saveCursor(String sweep, @Nullable Long afterId, @Nullable String afterText,
			@Nullable byte[] afterHash) {
		this.jdbc.sql("""
				insert into ingest_sweep_cursor (sweep, after_id, after_text, after_hash, updated_at)
				values (?, ?, ?, ?, now())
				on conflict (sweep) do update set after_id = excluded.after_id, after_text = excluded.after_text,
				    after_hash = excluded.after_hash, updated_at = excluded.updated_at
				""").params(sweep, afterId, afterText, afterHash).update();
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
	 * more (probing {@code chunk (embed_sha256)}): examines at most {@code limit} rows,
	 * {@code batch} a statement, in primary key order from where the previous sweep
	 * stopped, wrapping round at the end of the table, like
	 * {@link #sweepRevisions(Instant, int, long)}.
	 */
	public long sweepEmbeddings(Instant createdBefore, int batch, long limit) {
		long deleted = 0;
		Object[] cursor = this.jdbc
			.sql("select after_text, after_hash from ingest_sweep_cursor where sweep = 'embeddings'")
			.query((rs, row) -> new Object[] { rs.getString(1), rs.getBytes(2) })
			.optional()
			.orElse(new Object[] { null, null });
		boolean fromStart = cursor[0] == null;
		String startModel = fromStart ? "" : (String) cursor[0];
		byte[] startHash = (fromStart || cursor[1] == null) ? new byte[0] : (byte[]) cursor[1];
		String model = startModel;
		byte[] hash = startHash;
		boolean wrapped = false;
		long examined = 0;
		while (examined < limit) {
			int size = (int) Math.min(batch, limit - examined);
			List<Object[]> keys = wrapped
					? this.jdbc.sql("""
							select model, embed_sha256 from chunk_embedding
							where (model, embed_sha256) > (?, ?) and (model, embed_sha256) <= (?, ?)
							order by model, embed_sha256 limit ?
							""")
						.params(model, hash, startModel, startHash, size)
						.query((rs, row) -> new Object[] { rs.getString(1), rs.getBytes(2) })
						.list()
					: this.jdbc.sql("""
							select model, embed_sha256 from chunk_embedding where (model, embed_sha256) > (?, ?)
							order by model, embed_sha256 limit ?
							""")
						.params(model, hash, size)
						.query((rs, row) -> new Object[] { rs.getString(1), rs.getBytes(2) })
						.list();
			if (keys.isEmpty()) {
				if (!wrapped && !fromStart) {
					wrapped = true;
					model = "";
					hash = new byte[0];
					continue;
				}
				break;
			}
			examined += keys.size();
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
			saveCursor("embeddings", null, model, hash);
		}
		if (examined < limit) {
			saveCursor("embeddings", null, null, null);
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
	 * Deletes webhook deliveries that finished ({@code DONE}) before the instant,
	 * {@code batch} rows a statement, oldest first. A delivery still {@code PENDING}
	 * (being applied, or abandoned and waiting for its retry) is never deleted. A sender
	 * redelivering an id pruned here has it applied again as new, so the retention must
	 * outlast the sender's redelivery window.
	 */
	public long pruneWebhookDeliveries(Instant completedBefore, int batch) {
		long deleted = 0;
		while (true) {
			int count = this.jdbc.sql("""
					delete from webhook_delivery where id in (
					    select id from webhook_delivery
					    where state = %s and completed_at < ?
					    order by completed_at limit ?)
					""".formatted(WebhookDeliveries.State.DONE.sql()))
				.params(Timestamp.from(completedBefore), batch)
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
