package io.brainplane.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.brainplane.index.VersionService;
import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.Sha256;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies a batch of documents and deletes to a building version, all or nothing.
 */
@Service
public class DocumentService {

	private final VersionService versions;

	private final Membership membership;

	private final RevisionStore revisions;

	private final DocumentValidator validator;

	private final ObjectMapper canonical;

	private final IngestWorkers workers;

	DocumentService(VersionService versions, Membership membership, RevisionStore revisions,
			IngestProperties properties, ObjectMapper objectMapper, IngestWorkers workers) {
		this.versions = versions;
		this.membership = membership;
		this.revisions = revisions;
		this.workers = workers;
		this.validator = new DocumentValidator(properties);
		this.canonical = objectMapper.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
	}

	/**
	 * Validates the whole batch, then stores it in one transaction: the version's
	 * membership changes completely or not at all, and a job to chunk and embed the new
	 * documents is queued with it.
	 */
	@Transactional
	IngestResult apply(long version, DocumentBatch batch, IngestJobs.Priority priority) {
		this.validator.validate(batch);
		Long base = this.versions.requireBuilding(version);
		List<PreparedDocument> prepared = batch.documentsOrEmpty().stream().map(this::prepare).toList();
		Map<String, Long> ids = this.revisions.store(prepared);
		Membership.Change change = this.membership.apply(version, base, ids, batch.deletesOrEmpty());
		if (change.upserted() > 0) {
			this.workers.enqueue(version, priority, ids.values().stream().distinct().toArray(Long[]::new));
		}
		return new IngestResult(change.upserted(), change.unchanged(), change.deleted());
	}

	private PreparedDocument prepare(DocumentInput input) {
		String metadata = metadataJson(input.metadata());
		byte[] content = input.content().getBytes(StandardCharsets.UTF_8);
		MessageDigest digest = Sha256.digest();
		// The hash covers everything a search result shows, so a changed title or
		// metadata is
		// a new revision, while a resent identical document is recognised as unchanged.
		for (String part : new String[] { input.title(), input.source(), metadata }) {
			digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
		}
		digest.update(content);
		return new PreparedDocument(input.key(), input.title(), input.source(), metadata, input.content(),
				digest.digest(), content.length);
	}

	private String metadataJson(Map<String, Object> metadata) {
		try {
			String json = this.canonical.writeValueAsString((metadata != null) ? metadata : Map.of());
			if (json.contains("\\u0000")) {
				// jsonb cannot hold U+0000.
				throw BrainProblem.invalid("metadata", "must not contain NUL (U+0000) characters");
			}
			return json;
		}
		catch (JsonProcessingException ex) {
			throw BrainProblem.invalid("metadata", "cannot be serialised as JSON");
		}
	}

}
