package io.brainplane.ingest.internal;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.brainplane.platform.BrainProblem;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brain/versions/{v}/documents?key=K}: one document as the version holds it,
 * so a diff can show a changed document's old and new text side by side.
 */
@RestController
class DocumentReadController {

	private final JdbcClient jdbc;

	DocumentReadController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/brain/versions/{version}/documents")
	StoredDocument document(@PathVariable long version, @RequestParam(required = false) @Nullable String key) {
		if (key == null || key.isEmpty() || key.length() > 512) {
			throw BrainProblem.invalid("key", "is required, 1..512 characters: the document's key");
		}
		return this.jdbc
			.sql("""
					select m.version, m.document_key, r.title, r.content, r.source, r.metadata::text, encode(r.content_sha256, 'hex'),
					       r.created_at
					from version_member m join document_revision r on r.id = m.revision_id
					where m.version = ? and m.document_key = ?
					""")
			.params(version, key)
			.query((rs, row) -> new StoredDocument(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()))
			.optional()
			.orElseThrow(() -> BrainProblem.notFound("document-not-found",
					"version " + version + " holds no document with this key"));
	}

	/**
	 * A document of a version: its content and the revision's fingerprint.
	 */
	record StoredDocument(long version, String key, @Nullable String title, String content, @Nullable String source,
			@Nullable @JsonRawValue String metadata, String contentSha256, Instant storedAt) {
	}

}
