package io.brainplane.ingest.internal;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Document ingestion.
 *
 * @param chunkSize target chunk length in characters (Java chars, not tokens); a chunk is
 * cut earlier at a paragraph, sentence or word boundary when one falls in its second half
 * @param chunkOverlap characters each chunk repeats from the end of the previous one, so
 * a passage cut in two is still found whole in one of them
 * @param maxDocumentBytes largest document content accepted, in UTF-8 bytes
 * @param maxDocumentsPerCall most documents (plus deletes) accepted in one call
 * @param workers ingestion jobs this replica runs at once (chunking and embedding); 0 for
 * a replica that only serves and leaves ingestion to others
 * @param jobLease how long a job stays claimed without a sign of life from the worker
 * running it (renewed every third of it while the worker lives, even during a long
 * batch); after that another worker, of any replica, takes it over
 * @param jobAttempts attempts before a job is marked {@code FAILED}; taking over an
 * abandoned job counts one
 * @param jobBackoff wait before a failed job's second attempt, doubled for each later one
 * (at most 5 minutes)
 * @param sealWait how long a seal waits for the version's jobs without any progress (no
 * job settled, no chunk cut or embedded) before answering 409
 * @param pollInterval how often an idle worker looks for jobs queued by other replicas
 */
@Validated
@ConfigurationProperties("brain.ingest")
public record IngestProperties(@DefaultValue("1000") @Min(100) @Max(100_000) int chunkSize,
		@DefaultValue("150") @Min(0) int chunkOverlap, @DefaultValue("1MB") DataSize maxDocumentBytes,
		@DefaultValue("1000") @Min(1) @Max(100_000) int maxDocumentsPerCall,
		@DefaultValue("2") @Min(0) @Max(64) int workers, @DefaultValue("30s") Duration jobLease,
		@DefaultValue("5") @Min(1) @Max(100) int jobAttempts, @DefaultValue("2s") Duration jobBackoff,
		@DefaultValue("30s") Duration sealWait, @DefaultValue("500ms") Duration pollInterval) {

	public IngestProperties {
		if (chunkOverlap >= chunkSize / 2) {
			throw new IllegalArgumentException("brain.ingest.chunk-overlap must be less than half of chunk-size");
		}
	}

}
