package io.brainplane.ingest.internal;

import io.brainplane.index.IngestProgress;
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

	private static final long POLL_MILLIS = 100;

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
	public boolean awaitIdle(long version) {
		long deadline = System.nanoTime() + this.properties.sealWait().toNanos();
		while (this.jobs.pending(version)) {
			if (System.nanoTime() >= deadline) {
				return false;
			}
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	@EventListener
	void created(VersionCreated created) {
		if (created.parent() != null && created.embeddingModel() != null
				&& !created.embeddingModel().equals(created.parentModel())) {
			this.workers.enqueue(created.version(), IngestJobs.Priority.BULK, null);
		}
	}

}
