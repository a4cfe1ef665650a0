package io.brainplane.ingest.internal;

import java.util.List;

import org.springframework.lang.Nullable;

/**
 * One call's changes to a building version: documents to add or replace, keys to remove.
 */
public record DocumentBatch(@Nullable List<DocumentInput> documents, @Nullable List<String> deletes) {

	public List<DocumentInput> documentsOrEmpty() {
		return (this.documents != null) ? this.documents : List.of();
	}

	public List<String> deletesOrEmpty() {
		return (this.deletes != null) ? this.deletes : List.of();
	}

}
