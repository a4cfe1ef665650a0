package io.brainplane.embed.internal;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * The embedding provider.
 *
 * @param provider {@code local} (default), {@code openai} or {@code none}
 * @param model the in-process model when {@code provider=local}:
 * {@code bge-small-en-v1.5-q} (the default: the better retriever) or
 * {@code all-minilm-l6-v2-q} (twice as fast to embed). A version keeps the model it was
 * created with; a new version can use another one (its chunks are embedded again)
 * @param threads CPU threads the local model may use for ingestion; 0 means one less than
 * the available processors (at least one), so a core is left for serving searches
 * @param batchSize texts per call to the local model
 * @param openai the OpenAI-compatible endpoint, when {@code provider=openai}
 */
@Validated
@ConfigurationProperties("brain.embedding")
public record EmbeddingProperties(@DefaultValue("local") Provider provider,
		@DefaultValue("bge-small-en-v1.5-q") LocalModel model, @DefaultValue("0") @Min(0) int threads,
		@DefaultValue("32") @Min(1) @Max(1024) int batchSize, @DefaultValue @Valid OpenAi openai) {

	/** The threads the local model uses: the setting, or processors - 1 (at least 1). */
	public int effectiveThreads() {
		return (this.threads > 0) ? this.threads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
	}

	public enum Provider {

		LOCAL, OPENAI, NONE

	}

	/**
	 * The models that run in process, each shipped in a LangChain4j artifact (its ONNX
	 * file and tokenizer; the session is ours).
	 */
	public enum LocalModel {

		/**
		 * sentence-transformers all-MiniLM-L6-v2, 6 layers, mean pooling. Hit threshold
		 * 0.35: answerable questions' nearest chunks lie at 0.36-0.95 on Cranfield and
		 * 0.34-0.77 on the help-desk set, off-topic questions' at 0.30 and below
		 * (docs/quality.md).
		 */
		ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", false, "", 0.35),

		/**
		 * BAAI bge-small-en-v1.5, 12 layers, CLS pooling, with its instruction for
		 * retrieval queries. Hit threshold 0.62: its similarities run high; answerable
		 * questions' nearest chunks lie at 0.68-0.95 on Cranfield and 0.59-0.83 on the
		 * help-desk set, off-topic questions' mostly at 0.38-0.62 (docs/quality.md).
		 */
		BGE_SMALL_EN_V1_5_Q("bge-small-en-v1.5-q", true, "Represent this sentence for searching relevant passages: ",
				0.62);

		private final String id;

		private final boolean clsPooling;

		private final String queryInstruction;

		private final double hitSimilarity;

		LocalModel(String id, boolean clsPooling, String queryInstruction, double hitSimilarity) {
			this.id = id;
			this.clsPooling = clsPooling;
			this.queryInstruction = queryInstruction;
			this.hitSimilarity = hitSimilarity;
		}

		/** The name in {@code brain.embedding.model} and in {@code local:<id>}. */
		public String id() {
			return this.id;
		}

		boolean clsPooling() {
			return this.clsPooling;
		}

		/** Prepended to a search query, not to documents. */
		String queryInstruction() {
			return this.queryInstruction;
		}

		/**
		 * The default hit threshold of this model's similarities
		 * ({@link io.brainplane.embed.EmbeddingProvider#hitSimilarity()}).
		 */
		double hitSimilarity() {
			return this.hitSimilarity;
		}

		String onnxResource() {
			return this.id + ".onnx";
		}

		String tokenizerResource() {
			return this.id + "-tokenizer.json";
		}

	}

	/**
	 * An OpenAI-compatible {@code /embeddings} endpoint.
	 *
	 * @param baseUrl the API root, {@code /embeddings} is appended (for OpenAI
	 * {@code https://api.openai.com/v1})
	 * @param model the model name sent with each request
	 * @param apiKey sent as a bearer token; never logged
	 * @param dimensions asks the model for shorter vectors (text-embedding-3 models), or
	 * null for the model's own
	 * @param batchSize texts per request
	 * @param timeout how long one ingestion request may take
	 * @param queryTimeout how long embedding a search query may take before the search
	 * answers lexically
	 * @param requestsPerMinute client-side rate limit, so a bulk load stays under the
	 * provider's quota
	 * @param maxAttempts attempts per batch (timeouts, 429 and 5xx are retried with
	 * exponential backoff)
	 * @param backoff wait before the second attempt, doubled for each later one
	 */
	public record OpenAi(@DefaultValue("https://api.openai.com/v1") URI baseUrl,
			@DefaultValue("text-embedding-3-small") String model, @Nullable String apiKey,
			@Nullable @Min(1) Integer dimensions, @DefaultValue("96") @Min(1) @Max(2048) int batchSize,
			@DefaultValue("30s") Duration timeout, @DefaultValue("2s") Duration queryTimeout,
			@DefaultValue("3000") @Min(1) int requestsPerMinute, @DefaultValue("4") @Min(1) @Max(10) int maxAttempts,
			@DefaultValue("500ms") Duration backoff) {

		@Override
		public String toString() {
			// never the key
			return "OpenAi[baseUrl=" + this.baseUrl + ", model=" + this.model + "]";
		}

	}

}
