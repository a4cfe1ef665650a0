package io.brainplane.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.brainplane.platform.BrainProblem.FieldProblem;
import io.brainplane.platform.BrainProblem;

/**
 * The rules a batch must meet before anything is stored: all of them are checked and
 * every broken one is reported, so a client fixes a batch in one round trip.
 */
public final class DocumentValidator {

	private static final int MAX_REPORTED = 50;

	private final IngestProperties properties;

	DocumentValidator(IngestProperties properties) {
		this.properties = properties;
	}

	void validate(DocumentBatch batch) {
		List<FieldProblem> errors = new ArrayList<>();
		List<DocumentInput> documents = batch.documentsOrEmpty();
		List<String> deletes = batch.deletesOrEmpty();
		int total = documents.size() + deletes.size();
		if (total == 0) {
			errors.add(new FieldProblem("documents", "no documents and no deletes were sent"));
		}
		if (total > this.properties.maxDocumentsPerCall()) {
			throw BrainProblem.invalid("documents", "at most " + this.properties.maxDocumentsPerCall()
					+ " documents and deletes are accepted in one call; got " + total);
		}
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < documents.size(); i++) {
			String field = "documents[" + i + "]";
			DocumentInput document = documents.get(i);
			if (document == null) {
				errors.add(new FieldProblem(field, "must be an object"));
				continue;
			}
			checkKey(document.key(), field + ".key", errors);
			if (document.key() != null && !keys.add(document.key())) {
				errors.add(new FieldProblem(field + ".key", "duplicate key in this call: " + shorten(document.key())));
			}
			checkContent(document.content(), field + ".content", errors);
			checkLength(document.title(), 2000, field + ".title", errors);
			checkLength(document.source(), 2048, field + ".source", errors);
			checkNoNul(document.content(), field + ".content", errors);
			checkNoNul(document.title(), field + ".title", errors);
			checkNoNul(document.source(), field + ".source", errors);
		}
		for (int i = 0; i < deletes.size(); i++) {
			String key = deletes.get(i);
			checkKey(key, "deletes[" + i + "]", errors);
			if (key != null && keys.contains(key)) {
				errors.add(new FieldProblem("deletes[" + i + "]", "key is both upserted and deleted in this call"));
			}
		}
		if (!errors.isEmpty()) {
			throw BrainProblem.invalid(errors.subList(0, Math.min(MAX_REPORTED, errors.size())));
		}
	}

	private static void checkKey(String key, String field, List<FieldProblem> errors) {
		if (key == null || key.isEmpty()) {
			errors.add(new FieldProblem(field, "is required"));
		}
		else if (key.length() > 512) {
			errors.add(new FieldProblem(field, "must be at most 512 characters"));
		}
		else if (key.chars().anyMatch(Character::isISOControl)) {
			errors.add(new FieldProblem(field, "must not contain control characters"));
		}
	}

	private void checkContent(String content, String field, List<FieldProblem> errors) {
		if (content == null || content.isBlank()) {
			errors.add(new FieldProblem(field, "is required and must not be blank"));
			return;
		}
		long max = this.properties.maxDocumentBytes().toBytes();
		// Cheap bound first: a UTF-8 char is at most 3 bytes per UTF-16 unit.
		if ((long) content.length() * 3 > max && content.getBytes(StandardCharsets.UTF_8).length > max) {
			errors.add(new FieldProblem(field, "is larger than " + max + " bytes (brain.ingest.max-document-bytes)"));
		}
	}

	private static void checkLength(String value, int max, String field, List<FieldProblem> errors) {
		if (value != null && value.length() > max) {
			errors.add(new FieldProblem(field, "must be at most " + max + " characters"));
		}
	}

	/** PostgreSQL text cannot hold U+0000; refuse it here rather than fail in SQL. */
	private static void checkNoNul(String value, String field, List<FieldProblem> errors) {
		if (value != null && value.indexOf('\u0000') >= 0) {
			errors.add(new FieldProblem(field, "must not contain NUL (U+0000) characters"));
		}
	}

	private static String shorten(String value) {
		return value.length() <= 60 ? value : value.substring(0, 57) + "...";
	}

}
