package io.brainplane.ingest.internal;

import java.util.List;

import org.springframework.lang.Nullable;

/**
 * A webhook delivery's body: changes to apply to a new version made from the active one,
 * and whether to activate it.
 */
public record WebhookRequest(@Nullable String label, @Nullable List<DocumentInput> documents,
		@Nullable List<String> deletes, @Nullable Boolean activate) {

	DocumentBatch batch() {
		return new DocumentBatch(this.documents, this.deletes);
	}

}
