package io.brainplane.ingest;

import java.util.List;

import io.brainplane.index.SealCheck;
import io.brainplane.index.VersionRef;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seal check: every document of the version has all of its chunks.
 */
@Component
@Order(10)
class ChunkedCheck implements SealCheck {

	private final JdbcClient jdbc;

	ChunkedCheck(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<String> check(VersionRef version) {
		List<String> unchunked = this.jdbc.sql("""
				select m.document_key from version_member m join document_revision r on r.id = m.revision_id
				where m.version = ? and r.chunk_count <> (select count(*) from chunk c where c.revision_id = r.id)
				order by m.document_key limit 5
				""").param(version.version()).query(String.class).list();
		return unchunked.isEmpty() ? List.of()
				: List.of("documents not fully chunked: " + String.join(", ", unchunked));
	}

}
