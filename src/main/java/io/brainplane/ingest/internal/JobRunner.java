package io.brainplane.ingest.internal;

import java.util.ArrayList;
import java.util.List;

import io.brainplane.embed.EmbeddingFailure;
import io.brainplane.embed.EmbeddingProvider;
import io.brainplane.embed.Vectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Does one job's work in small transactions, so that whatever is done stays done when a
 * job is interrupted: chunks the revisions not chunked yet, then embeds, a batch at a
 * time, every chunk text that has no vector from the version's model yet.
 */
@Component
public class JobRunner {

	/** Revisions chunked per transaction. */
	private static final int CHUNK_BATCH = 20;

	/** Texts read per round of embedding. */
	private static final int EMBED_ROUND = 256;

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final RevisionStore revisions;

	private final TransactionTemplate transactions;

	private final ObjectProvider<EmbeddingProvider> embeddings;

	private final IngestMetrics metrics;

	JobRunner(JdbcClient jdbc, JdbcTemplate template, RevisionStore revisions, TransactionTemplate transactions,
			ObjectProvider<EmbeddingProvider> embeddings, IngestMetrics metrics) {
		this.jdbc = jdbc;
		this.template = template;
		this.revisions = revisions;
		this.transactions = transactions;
		this.embeddings = embeddings;
		this.metrics = metrics;
	}

	/**
	 * Runs the job to its end, or until {@code progress} says stop.
	 * @param progress called after each unit of work with (chunks, embedded) done in it;
	 * returns false when the job must stop
	 * @return whether the job finished
	 */
	boolean run(IngestJobs.Job job, Progress progress) {
		EmbeddingProvider provider = (job.model() != null) ? provider(job) : null;
		if (!chunkAll(job, progress)) {
			return false;
		}
		return provider == null || embedAll(job, provider, progress);
	}

	private EmbeddingProvider provider(IngestJobs.Job job) {
		EmbeddingProvider provider = this.embeddings.getIfAvailable();
		if (provider == null || !provider.model().equals(job.model())) {
			throw new EmbeddingFailure("version " + job.version() + " embeds with " + job.model()
					+ " but this replica's provider is " + ((provider != null) ? provider.model() : "none"), false);
		}
		return provider;
	}

	private boolean chunkAll(IngestJobs.Job job, Progress progress) {
		while (true) {
			List<Revision> pending = this.jdbc.sql("""
					select r.id, r.title, r.content from document_revision r
					where r.chunk_count is null and r.id in (%s)
					order by r.id limit ?
					""".formatted(revisionFilter(job)))
				.params(revisionParams(job, CHUNK_BATCH))
				.query((rs, row) -> new Revision(rs.getLong(1), rs.getString(2), rs.getString(3)))
				.list();
			if (pending.isEmpty()) {
				return true;
			}
			Integer chunks = this.transactions.execute((status) -> {
				int stored = 0;
				for (Revision revision : pending) {
					stored += Math.max(0, this.revisions.chunk(revision.id(), revision.title(), revision.content()));
				}
				return stored;
			});
			this.metrics.chunked.increment(pending.size());
			if (!progress.report((chunks != null) ? chunks : 0, 0)) {
				return false;
			}
		}
	}

	private boolean embedAll(IngestJobs.Job job, EmbeddingProvider provider, Progress progress) {
		while (true) {
			List<Text> texts = this.jdbc
				.sql("""
						select distinct on (c.embed_sha256) c.embed_sha256,
						       coalesce(r.title || E'\\n\\n', '') || c.text
						from chunk c join document_revision r on r.id = c.revision_id
						where c.revision_id in (%s)
						  and not exists (select 1 from chunk_embedding e where e.model = ? and e.embed_sha256 = c.embed_sha256)
						limit ?
						"""
					.formatted(revisionFilter(job)))
				.params(revisionParams(job, job.model(), EMBED_ROUND))
				.query((rs, row) -> new Text(rs.getBytes(1), rs.getString(2)))
				.list();
			if (texts.isEmpty()) {
				return true;
			}
			for (int from = 0; from < texts.size(); from += provider.batchSize()) {
				List<Text> batch = texts.subList(from, Math.min(texts.size(), from + provider.batchSize()));
				List<float[]> vectors = provider.embed(batch.stream().map(Text::text).toList());
				if (vectors.size() != batch.size()) {
					throw new EmbeddingFailure(
							"the provider returned " + vectors.size() + " vectors for " + batch.size() + " texts",
							true);
				}
				store(job.model(), batch, vectors);
				this.metrics.embedded.increment(batch.size());
				if (!progress.report(0, batch.size())) {
					return false;
				}
			}
		}
	}

	private void store(String model, List<Text> texts, List<float[]> vectors) {
		List<Object[]> rows = new ArrayList<>(texts.size());
		for (int i = 0; i < texts.size(); i++) {
			float[] vector = Vectors.normalize(vectors.get(i));
			rows.add(new Object[] { model, texts.get(i).sha256(), vector.length, Vectors.toBytes(vector) });
		}
		this.template.batchUpdate("""
				insert into chunk_embedding (model, embed_sha256, dimension, vector) values (?, ?, ?, ?)
				on conflict (model, embed_sha256) do nothing
				""", rows);
	}

	private static String revisionFilter(IngestJobs.Job job) {
		return (job.revisions() != null) ? "select unnest(?::bigint[])"
				: "select revision_id from version_member where version = ?";
	}

	private static Object[] revisionParams(IngestJobs.Job job, Object... rest) {
		Object[] params = new Object[rest.length + 1];
		params[0] = (job.revisions() != null) ? job.revisions() : (Object) job.version();
		System.arraycopy(rest, 0, params, 1, rest.length);
		return params;
	}

	/** A revision waiting to be chunked. */
	private record Revision(long id, String title, String content) {
	}

	/** A chunk text waiting for its vector, under its key. */
	private record Text(byte[] sha256, String text) {
	}

	/**
	 * Told after each unit of work; answers whether to go on.
	 */
	@FunctionalInterface
	interface Progress {

		boolean report(int chunks, int embedded);

	}

}
