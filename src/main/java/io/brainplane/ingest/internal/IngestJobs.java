package io.brainplane.ingest.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import io.brainplane.index.IngestProgress;
import io.brainplane.index.IngestState;
import io.brainplane.index.VersionLookup;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;

/**
 * The job queue in {@code ingest_job}. Workers of every replica claim jobs with
 * {@code FOR UPDATE SKIP LOCKED}, highest priority (lowest number) first, and hold a
 * lease they renew while they work; a job whose lease ran out (its replica died) is
 * claimed again.
 */
@Repository
public class IngestJobs {

	private static final String QUEUED = IngestState.QUEUED.sql();

	private static final String RUNNING = IngestState.RUNNING.sql();

	private static final String DONE = IngestState.DONE.sql();

	private static final String FAILED = IngestState.FAILED.sql();

	private final JdbcClient jdbc;

	private final VersionLookup versions;

	IngestJobs(JdbcClient jdbc, VersionLookup versions) {
		this.jdbc = jdbc;
		this.versions = versions;
	}

	/**
	 * Queues work for a version, in the caller's transaction.
	 * @param revisions the revisions to chunk and embed, or null for every document of
	 * the version
	 */
	long enqueue(long version, Priority priority, @Nullable Long[] revisions) {
		return this.jdbc.sql("""
				insert into ingest_job (version, priority, state, revision_ids, documents)
				values (?, ?, %s, ?::bigint[],
				        coalesce(cardinality(?::bigint[]), (select count(*) from version_member where version = ?)))
				returning id
				""".formatted(QUEUED))
			.params(version, priority.ordinal(), revisions, revisions, version)
			.query(Long.class)
			.single();
	}

	/**
	 * Marks {@code FAILED} the abandoned jobs (their lease ran out: the worker or its
	 * replica died) that have used up {@code maxAttempts}: a job that kills its JVM every
	 * time ends, it is not retried forever.
	 * @return how many
	 */
	int failAbandoned(int maxAttempts) {
		return this.jdbc
			.sql("""
					update ingest_job set state = %s, owner = null, lease_until = null, finished_at = now(),
					       error = 'abandoned ' || attempts || ' times (the worker running it stopped before its lease ran out)'
					where state = %s and lease_until < now() and attempts >= ?
					"""
				.formatted(FAILED, RUNNING))
			.param(maxAttempts)
			.update();
	}

	/**
	 * Claims the most urgent job that is due, or an abandoned one with attempts left;
	 * taking over an abandoned job counts an attempt.
	 */
	Optional<Job> claim(String owner, Duration lease, int maxAttempts) {
		Optional<Job> claimed = this.jdbc.sql("""
				update ingest_job j
				set state = %1$s, owner = ?, attempts = j.attempts + 1,
				    lease_until = now() + ? * interval '1 millisecond',
				    started_at = coalesce(j.started_at, now())
				from (select id from ingest_job
				      where (state = %2$s and next_attempt_at <= now())
				         or (state = %1$s and lease_until < now() and attempts < ?)
				      order by priority, id limit 1 for update skip locked) next
				where j.id = next.id
				returning j.id, j.version, j.priority, j.revision_ids, j.attempts
				""".formatted(RUNNING, QUEUED))
			.params(owner, lease.toMillis(), maxAttempts)
			.query(IngestJobs::job)
			.optional();
		// The model is fixed when the version is created: asking after the claim is as
		// good
		// as joining, and keeps this module's SQL off the index module's tables.
		return claimed.map((job) -> job.withModel(this.versions.embeddingModel(job.version()).orElse(null)));
	}

	/**
	 * Extends the lease of a job this owner runs, without touching its counters.
	 * @return false when the job is no longer this owner's (taken over, or its version
	 * deleted)
	 */
	boolean renew(long job, String owner, Duration lease) {
		return this.jdbc.sql("""
				update ingest_job set lease_until = now() + ? * interval '1 millisecond'
				where id = ? and owner = ? and state = %s
				""".formatted(RUNNING)).params(lease.toMillis(), job, owner).update() == 1;
	}

	/**
	 * Renews the lease and adds to the job's counters.
	 * @return false when the job is no longer this owner's (taken over after its lease
	 * ran out)
	 */
	boolean heartbeat(Job job, String owner, Duration lease, int chunks, int embedded) {
		return this.jdbc.sql("""
				update ingest_job set lease_until = now() + ? * interval '1 millisecond',
				       chunks = chunks + ?, embedded = embedded + ?
				where id = ? and owner = ? and state = %s
				""".formatted(RUNNING)).params(lease.toMillis(), chunks, embedded, job.id(), owner).update() == 1;
	}

	void done(Job job, String owner) {
		this.jdbc.sql("""
				update ingest_job set state = %s, finished_at = now(), lease_until = null, error = null
				where id = ? and owner = ?
				""".formatted(DONE)).params(job.id(), owner).update();
	}

	/** Queues the job again after {@code delay}, or marks it failed for good. */
	void failed(Job job, String owner, String error, @Nullable Duration retryAfter) {
		if (retryAfter != null) {
			this.jdbc.sql("""
					update ingest_job set state = %s, owner = null, lease_until = null, error = ?,
					       next_attempt_at = now() + ? * interval '1 millisecond'
					where id = ? and owner = ?
					""".formatted(QUEUED)).params(error, retryAfter.toMillis(), job.id(), owner).update();
		}
		else {
			this.jdbc.sql("""
					update ingest_job set state = %s, owner = null, lease_until = null, error = ?, finished_at = now()
					where id = ? and owner = ?
					""".formatted(FAILED)).params(error, job.id(), owner).update();
		}
	}

	/** Queues the job again after {@code delay} without counting the attempt. */
	void postpone(Job job, String owner, String reason, Duration delay) {
		this.jdbc.sql("""
				update ingest_job set state = %s, owner = null, lease_until = null, error = ?,
				       attempts = greatest(attempts - 1, 0), next_attempt_at = now() + ? * interval '1 millisecond'
				where id = ? and owner = ? and state = %s
				""".formatted(QUEUED, RUNNING)).params(reason, delay.toMillis(), job.id(), owner).update();
	}

	/** Hands a job back untouched (this replica is stopping): it is due again at once. */
	void release(Job job, String owner) {
		this.jdbc.sql("""
				update ingest_job set state = %s, owner = null, lease_until = null,
				       attempts = greatest(attempts - 1, 0), next_attempt_at = now()
				where id = ? and owner = ? and state = %s
				""".formatted(QUEUED, RUNNING)).params(job.id(), owner).update();
	}

	/** Queues a version's failed jobs again, with fresh attempts. */
	int retryFailed(long version) {
		return this.jdbc.sql("""
				update ingest_job set state = %s, attempts = 0, next_attempt_at = now(), finished_at = null
				where version = ? and state = %s
				""".formatted(QUEUED, FAILED)).param(version).update();
	}

	/**
	 * How far the version's jobs have come, cheaply, for a seal waiting on them.
	 */
	Pace pace(long version) {
		return this.jdbc.sql("""
				select count(*) filter (where state in %1$s) as pending,
				       count(*) filter (where state not in %1$s) as settled,
				       coalesce(sum(chunks), 0) + coalesce(sum(embedded), 0) as work
				from ingest_job where version = ?
				""".formatted(IngestState.sqlList(IngestState::pending)))
			.param(version)
			.query((rs, row) -> new Pace(rs.getInt("pending"), rs.getInt("settled"), rs.getLong("work")))
			.single();
	}

	/**
	 * @param pending jobs queued or running
	 * @param settled jobs done or failed
	 * @param work chunks cut plus chunks embedded by the jobs so far (their heartbeats
	 * add to it)
	 */
	record Pace(int pending, int settled, long work) {

		/** Whether a job settled or did work since {@code before}. */
		boolean movedSince(Pace before) {
			return this.settled != before.settled || this.work != before.work;
		}

	}

	/**
	 * The state of the version's jobs alone, as {@link #progress(long)} would report it
	 * (a failed job first, then a running one, then a queued one), from the job table
	 * only.
	 */
	IngestState state(long version) {
		return this.jdbc.sql("""
				select coalesce(sum(documents) filter (where state = %4$s), 0) > 0 as failed,
				       count(*) filter (where state = %2$s) > 0 as running,
				       count(*) filter (where state = %1$s) > 0 as queued
				from ingest_job where version = ?
				""".formatted(QUEUED, RUNNING, DONE, FAILED))
			.param(version)
			.query((rs, row) -> rs.getBoolean("failed") ? IngestState.FAILED
					: rs.getBoolean("running") ? IngestState.RUNNING
							: rs.getBoolean("queued") ? IngestState.QUEUED : IngestState.DONE)
			.single();
	}

	List<JobView> list(long version, int limit) {
		return this.jdbc.sql("""
				select id, priority, state, documents, chunks, embedded, attempts, error, created_at, started_at,
				       finished_at, next_attempt_at
				from ingest_job where version = ? order by id desc limit ?
				""")
			.params(version, limit)
			.query((rs, row) -> new JobView(rs.getLong("id"),
					Priority.values()[rs.getInt("priority")].name().toLowerCase(java.util.Locale.ROOT),
					IngestState.valueOf(rs.getString("state")), rs.getInt("documents"), rs.getInt("chunks"),
					rs.getInt("embedded"), rs.getInt("attempts"), rs.getString("error"), instant(rs, "created_at"),
					instant(rs, "started_at"), instant(rs, "finished_at"),
					IngestState.QUEUED.name().equals(rs.getString("state")) ? instant(rs, "next_attempt_at") : null))
			.list();
	}

	/**
	 * Progress of a building version, counted from its membership (so documents it got
	 * from its base count too) and its jobs.
	 */
	IngestProgress progress(long version) {
		return progress(version, this.versions.embeddingModel(version).orElse(null));
	}

	/**
	 * Progress of a building version whose embedding model the caller knows.
	 */
	IngestProgress progress(long version, @Nullable String model) {
		return this.jdbc
			.sql("""
					with m as (select r.id, r.chunk_count from version_member m
					           join document_revision r on r.id = m.revision_id where m.version = :v),
					     b as (select cast(:model as text) as embedding_model),
					     j as (select state, documents, embedded, started_at, finished_at, error, id
					           from ingest_job where version = :v),
					     -- the pace: jobs running now or finished in the last 10 minutes
					     recent as (select embedded, started_at from j
					                where started_at is not null
					                  and (state = %2$s or (state = %3$s and finished_at > now() - interval '10 minutes')))
					select (select count(*) from m) as documents,
					       (select count(*) from m where chunk_count is not null) as chunked,
					       (select coalesce(sum(chunk_count), 0) from m) as chunks,
					       (select count(*) from m join chunk c on c.revision_id = m.id
					        join chunk_embedding e on e.model = (select embedding_model from b) and e.embed_sha256 = c.embed_sha256)
					           as embedded,
					       (select embedding_model from b) as model,
					       (select coalesce(sum(documents), 0) from j where state = %4$s) as failed,
					       (select count(*) from j where state = %2$s) as running,
					       (select count(*) from j where state = %1$s) as queued,
					       (select coalesce(sum(embedded), 0) from recent) as job_embedded,
					       (select extract(epoch from now() - min(started_at)) from recent) as running_for,
					       (select error from j where state = %4$s order by id desc limit 1) as error
					"""
				.formatted(QUEUED, RUNNING, DONE, FAILED))
			.param("v", version)
			.param("model", model)
			.query((rs, row) -> progress(rs))
			.single();
	}

	private static IngestProgress progress(ResultSet rs) throws SQLException {
		int documents = rs.getInt("documents");
		int chunked = rs.getInt("chunked");
		long chunks = rs.getLong("chunks");
		long embedded = rs.getLong("embedded");
		boolean semantic = rs.getString("model") != null;
		int failed = rs.getInt("failed");
		IngestState state = (failed > 0) ? IngestState.FAILED : (rs.getInt("running") > 0) ? IngestState.RUNNING
				: (rs.getInt("queued") > 0) ? IngestState.QUEUED : IngestState.DONE;
		// Documents not chunked yet are assumed to have as many chunks as the chunked
		// ones.
		double expectedChunks = (chunked > 0) ? chunks + (double) chunks / chunked * (documents - chunked) : documents;
		double percent = (documents == 0) ? 100
				: semantic ? 100.0 * Math.min(1, embedded / Math.max(1, expectedChunks)) : 100.0 * chunked / documents;
		if (state != IngestState.DONE && percent >= 100) {
			percent = 99.9;
		}
		Long eta = null;
		double runningFor = rs.getDouble("running_for");
		long jobEmbedded = rs.getLong("job_embedded");
		if (state == IngestState.RUNNING && semantic && runningFor > 1 && jobEmbedded > 0) {
			eta = Math.round(Math.max(0, expectedChunks - embedded) / (jobEmbedded / runningFor));
		}
		return new IngestProgress(state, documents, chunked, chunks, semantic ? embedded : 0, failed,
				Math.round(percent * 10) / 10.0, eta, rs.getString("error"));
	}

	private static Job job(ResultSet rs, int row) throws SQLException {
		Array array = rs.getArray("revision_ids");
		Long[] revisions = (array != null) ? (Long[]) array.getArray() : null;
		return new Job(rs.getLong("id"), rs.getLong("version"), Priority.values()[rs.getInt("priority")], revisions,
				rs.getInt("attempts"), null);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * Job priorities, most urgent first.
	 */
	enum Priority {

		/** A webhook delivery: a content pipeline is waiting for it to go live. */
		WEBHOOK,
		/** A JSON batch through the API. */
		API,
		/** An NDJSON bulk load, or filling in vectors for documents taken from a base. */
		BULK

	}

	/**
	 * A claimed job.
	 *
	 * @param revisions the revisions to work on, or null for all of the version's
	 * @param model the version's embedding model, or null when it is lexical
	 */
	record Job(long id, long version, Priority priority, @Nullable Long[] revisions, int attempts,
			@Nullable String model) {

		Job withModel(@Nullable String model) {
			return new Job(this.id, this.version, this.priority, this.revisions, this.attempts, model);
		}

	}

	/**
	 * A job as the API shows it.
	 */
	record JobView(long id, String priority, IngestState state, int documents, int chunks, int embedded, int attempts,
			@Nullable String error, Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
			@Nullable Instant nextAttemptAt) {
	}

}
