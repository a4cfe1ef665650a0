package io.brainplane.ingest.internal;

import java.util.Optional;

import io.brainplane.index.ActivationService;
import io.brainplane.index.VersionService;
import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Applies a verified webhook delivery: a new version from the active one (or from
 * nothing), the delivery's documents and deletes, sealed, and activated through the same
 * gates as an operator's activation when asked. Each delivery id is applied once.
 */
@Service
public class WebhookService {

	static final String ACTOR = "webhook";

	private final VersionService versions;

	private final DocumentService documents;

	private final ActivationService activations;

	private final WebhookDeliveries deliveries;

	private final DocumentValidator validator;

	WebhookService(VersionService versions, DocumentService documents, ActivationService activations,
			WebhookDeliveries deliveries, IngestProperties properties) {
		this.versions = versions;
		this.documents = documents;
		this.activations = activations;
		this.deliveries = deliveries;
		this.validator = new DocumentValidator(properties);
	}

	WebhookResult deliver(String delivery, WebhookRequest request) {
		// Everything that can be checked is checked before anything is stored.
		this.validator.validate(request.batch());
		String label = (request.label() != null) ? request.label() : "webhook " + delivery;
		if (label.length() > 200) {
			throw BrainProblem.invalid("label", "must be at most 200 characters");
		}
		Optional<WebhookResult> earlier = this.deliveries.claim(delivery);
		if (earlier.isPresent()) {
			return earlier.get();
		}
		try {
			WebhookResult result = apply(delivery, label, request);
			this.deliveries.complete(result);
			return result;
		}
		catch (RuntimeException ex) {
			this.deliveries.release(delivery);
			throw ex;
		}
	}

	private WebhookResult apply(String delivery, String label, WebhookRequest request) {
		long version = this.versions.create(label, null).version();
		this.documents.apply(version, request.batch(), IngestJobs.Priority.WEBHOOK);
		this.versions.seal(version);
		if (!Boolean.TRUE.equals(request.activate())) {
			return new WebhookResult(version, delivery, false, null);
		}
		try {
			this.activations.activate(version, ACTOR, "webhook delivery " + delivery, false);
			return new WebhookResult(version, delivery, true, null);
		}
		catch (BrainProblem refused) {
			if (refused.getStatusCode().value() != HttpStatus.CONFLICT.value()) {
				throw refused;
			}
			return new WebhookResult(version, delivery, false, refused.getBody().getDetail());
		}
	}

}
