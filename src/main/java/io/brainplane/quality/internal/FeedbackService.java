package io.brainplane.quality.internal;

import java.util.UUID;

import io.brainplane.platform.BrainProblem;

import org.springframework.stereotype.Service;

/**
 * Records a client's judgement of a search; it overrides the automatic verdict. A search
 * still waiting in the recording queue is known: the queue is written first.
 */
@Service
public class FeedbackService {

	private final HitStore store;

	private final HitRecorder recorder;

	private final VerdictCounters verdicts;

	FeedbackService(HitStore store, HitRecorder recorder, VerdictCounters verdicts) {
		this.store = store;
		this.recorder = recorder;
		this.verdicts = verdicts;
	}

	public void feedback(String queryId, Boolean relevant, String documentKey) {
		UUID id = parse(queryId);
		if (relevant == null) {
			throw BrainProblem.invalid("relevant", "is required (true or false)");
		}
		if (documentKey != null && (documentKey.isEmpty() || documentKey.length() > 512)) {
			throw BrainProblem.invalid("documentKey", "must be 1..512 characters");
		}
		HitStore.Judged judged = this.store.judge(id, relevant, documentKey);
		if (judged == null) {
			// Still waiting in the queue: written now. Or in the batch the writer was
			// committing between the update above and this check (the check waits for
			// that batch, and then finds nothing waiting): either way it is in the
			// table now, so the update is tried again whatever the check says.
			this.recorder.flushIfWaiting(id.toString());
			judged = this.store.judge(id, relevant, documentKey);
		}
		if (judged == null) {
			throw BrainProblem.notFound("query-not-found", "No recorded search has queryId " + id
					+ " (it may be older than the retention of brain.hits.retention)");
		}
		this.verdicts.feedback(judged.version(), relevant);
	}

	private static UUID parse(String queryId) {
		if (queryId == null || queryId.isBlank()) {
			throw BrainProblem.invalid("queryId", "is required");
		}
		try {
			return UUID.fromString(queryId.strip());
		}
		catch (IllegalArgumentException ex) {
			throw BrainProblem.invalid("queryId", "must be a queryId returned by a search");
		}
	}

}
