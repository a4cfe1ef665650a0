package io.brainplane.ingest.internal;

import io.brainplane.index.ActivationService;
import io.brainplane.index.Actor;
import io.brainplane.index.IndexVersion;
import io.brainplane.index.VersionNotFound;
import io.brainplane.index.VersionService;
import io.brainplane.index.VersionState;
import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.FaultPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a verified webhook delivery: a new version from the active one (or from
 * nothing), the delivery's documents and deletes, sealed, and activated through the same
 * gates as an operator's activation when asked. Each delivery id is applied once, and all
 * or nothing:
 * <ul>
 * <li>the delivery runs under its claim ({@link WebhookDeliveries}), so one delivery id
 * is never applied twice at once, on any replica;</li>
 * <li>the version it creates is recorded with the delivery in the same transaction;</li>
 * <li>when it cannot finish (a seal answering 409 or 422, an error) the version is
 * deleted before the error is answered, and the id is free for a retry;</li>
 * <li>when the replica died part-way, the retry finds the recorded version: a
 * {@code BUILDING} one is deleted and the delivery redone, a sealed one is resumed
 * (activated if asked, then recorded). {@link WebhookSweeper} deletes the
 * {@code BUILDING} leftovers of deliveries nobody retries.</li>
 * </ul>
 */
@Service
public class WebhookService {

	static final Actor ACTOR = new Actor("webhook");

	private static final Logger log = LoggerFactory.getLogger(WebhookService.class);

	private final VersionService versions;

	private final DocumentService documents;

	private final ActivationService activations;

	private final WebhookDeliveries deliveries;

	private final DocumentValidator validator;

	private final TransactionTemplate transactions;

	WebhookService(VersionService versions, DocumentService documents, ActivationService activations,
			WebhookDeliveries deliveries, IngestProperties properties, TransactionTemplate transactions) {
		this.versions = versions;
		this.documents = documents;
		this.activations = activations;
		this.deliveries = deliveries;
		this.validator = new DocumentValidator(properties);
		this.transactions = transactions;
	}

	WebhookResult deliver(String delivery, WebhookRequest request) {
		// Everything that can be checked is checked before anything is stored.
		this.validator.validate(request.batch());
		String label = (request.label() != null) ? request.label() : "webhook " + delivery;
		if (label.length() > 200) {
			throw BrainProblem.invalid("label", "must be at most 200 characters");
		}
		try (WebhookDeliveries.Claim claim = this.deliveries.claim(delivery)) {
			WebhookDeliveries.Row row = claim.row();
			if (row.done()) {
				return row.result();
			}
			if (row.version() != null) {
				IndexVersion earlier = find(row.version());
				if (earlier != null && earlier.state().sealed()) {
					log.info("Webhook delivery {}: resuming with version {}, sealed by an earlier attempt", delivery,
							earlier.version());
					return finish(claim, delivery, earlier, request);
				}
				discard(claim, row.version());
			}
			return apply(claim, delivery, label, request);
		}
	}

	private WebhookResult apply(WebhookDeliveries.Claim claim, String delivery, String label, WebhookRequest request) {
		long version = this.transactions.execute((status) -> {
			long created = this.versions.create(label, null).version();
			claim.building(created);
			return created;
		});
		try {
			FaultPoint.reach("webhook.after-create");
			this.documents.apply(version, request.batch(), IngestJobs.Priority.WEBHOOK);
			FaultPoint.reach("webhook.before-seal");
			IndexVersion sealed = this.versions.seal(version);
			return finish(claim, delivery, sealed, request);
		}
		catch (RuntimeException ex) {
			IndexVersion state = find(version);
			if (state == null || !state.state().sealed()) {
				// all or nothing: the half-built version goes, the id is free for a retry
				discard(claim, version);
			}
			throw ex;
		}
	}

	private WebhookResult finish(WebhookDeliveries.Claim claim, String delivery, IndexVersion version,
			WebhookRequest request) {
		WebhookResult result = activate(delivery, version, request);
		FaultPoint.reach("webhook.before-complete");
		claim.complete(result);
		return result;
	}

	private WebhookResult activate(String delivery, IndexVersion version, WebhookRequest request) {
		if (!Boolean.TRUE.equals(request.activate())) {
			return new WebhookResult(version.version(), delivery, false, null);
		}
		if (version.state() != VersionState.READY) {
			// activated by the attempt that died (ACTIVE, or RETIRED since)
			return new WebhookResult(version.version(), delivery, true, null);
		}
		try {
			this.activations.activate(version.version(), ACTOR, "webhook delivery " + delivery, false);
			return new WebhookResult(version.version(), delivery, true, null);
		}
		catch (BrainProblem refused) {
			if (refused.getStatusCode().value() != HttpStatus.CONFLICT.value()) {
				throw refused;
			}
			return new WebhookResult(version.version(), delivery, false, refused.getBody().getDetail());
		}
	}

	private void discard(WebhookDeliveries.Claim claim, long version) {
		try {
			if (find(version) != null) {
				this.versions.delete(version);
				log.info("Webhook delivery: discarded unfinished version {}", version);
			}
			claim.forget();
		}
		catch (RuntimeException ex) {
			// The row still names the version: the retry or the sweeper discards it.
			log.warn("Could not discard unfinished version {} yet: {}", version, ex.getClass().getSimpleName());
		}
	}

	private IndexVersion find(long version) {
		try {
			return this.versions.get(version);
		}
		catch (VersionNotFound ex) {
			return null;
		}
	}

}
