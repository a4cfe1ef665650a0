package io.brainplane.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.TextRules;
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
			checkText(document.content(), field + ".content", errors);
			checkText(document.title(), field + ".title", errors);
			checkText(document.source(), field + ".source", errors);
			checkMetadata(document.metadata(), field + ".metadata", errors);
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
		else {
			checkText(key, field, errors);
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

	/**
	 * The platform's text rules (no NUL, no unpaired surrogates, no noncharacters). JSON
	 * bodies are checked as they are parsed; NDJSON lines and webhook payloads are read
	 * by their controllers, so the batch is checked here as well, whatever its source.
	 */
	private static void checkText(String value, String field, List<FieldProblem> errors) {
		String violation = TextRules.violation(value);
		if (violation != null) {
			errors.add(new FieldProblem(field, violation));
		}
	}

	/**
	 * Metadata keys and string values at any depth, as jsonb cannot hold U+0000 either.
	 */
	private static void checkMetadata(Object value, String field, List<FieldProblem> errors) {
		if (value instanceof String text) {
			checkText(text, field, errors);
		}
		else if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String key = String.valueOf(entry.getKey());
				if (TextRules.violation(key) != null) {
					checkText(key, "a field name in " + field, errors);
				}
				else {
					checkMetadata(entry.getValue(), field + "." + shorten(key), errors);
				}
			}
		}
		else if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				checkMetadata(list.get(i), field + "[" + i + "]", errors);
			}
		}
	}

	private static String shorten(String value) {
		return value.length() <= 60 ? value : value.substring(0, 57) + "...";
	}

}
