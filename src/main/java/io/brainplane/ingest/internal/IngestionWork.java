package io.brainplane.ingest.internal;

import java.time.Duration;

import io.brainplane.index.IngestProgress;
import io.brainplane.index.IngestState;
import io.brainplane.index.VersionCreated;
import io.brainplane.index.VersionWork;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The ingest module's side of {@link VersionWork}: progress from the job queue, seals
 * waiting for it, and filling in vectors for the documents a new version takes from a
 * base built with another model (or none).
 */
@Component
public class IngestionWork implements VersionWork {

	/**
	 * How often a waiting seal looks at the queue when no job of this replica settled in
	 * between: jobs of other replicas settle unseen.
	 */
	private static final Duration POLL = Duration.ofMillis(100);

	private final IngestJobs jobs;

	private final IngestWorkers workers;

	private final IngestProperties properties;

	IngestionWork(IngestJobs jobs, IngestWorkers workers, IngestProperties properties) {
		this.jobs = jobs;
		this.workers = workers;
		this.properties = properties;
	}

	@Override
	public IngestProgress progress(long version) {
		return this.jobs.progress(version);
	}

	@Override
	public IngestState jobState(long version) {
		return this.jobs.state(version);
	}

	/**
	 * Waits for the version's jobs while they make progress: gives up after
	 * {@code brain.ingest.seal-wait} in which no job settled and none cut or embedded a
	 * chunk (a stuck job, a provider away, a backoff), not after that long in all, so a
	 * seal sent right after a large upload still answers once the upload is ingested.
	 * Woken as soon as a job of this replica settles rather than at the next poll.
	 */
	@Override
	public boolean awaitIdle(long version) {
		return awaitIdle(version, this.properties.sealWait());
	}

	boolean awaitIdle(long version, Duration patience) {
		long deadline = System.nanoTime() + patience.toNanos();
		IngestJobs.Pace last = null;
		while (true) {
			long seen = this.workers.settlements();
			IngestJobs.Pace pace = this.jobs.pace(version);
			if (pace.pending() == 0) {
				return true;
			}
			if (last != null && pace.movedSince(last)) {
				deadline = System.nanoTime() + patience.toNanos();
			}
			last = pace;
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			try {
				this.workers.awaitSettlement(seen, Duration.ofNanos(Math.min(left, POLL.toNanos())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
	}

	@EventListener
	void created(VersionCreated created) {
		if (created.parent() != null && created.embeddingModel() != null
				&& !created.embeddingModel().equals(created.parentModel())) {
			this.workers.enqueue(created.version(), IngestJobs.Priority.BULK, null);
		}
	}

}
