package io.brainplane.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.brainplane.embed.EmbeddingFailure;
import io.brainplane.index.VersionRef;
import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.Ids;
import io.brainplane.search.internal.LocalIndexes;
import io.brainplane.search.internal.QueryFactory;
import io.brainplane.search.internal.QueryVectors;
import io.brainplane.search.internal.ResultCache;
import io.brainplane.search.internal.SearchProperties;
import io.brainplane.search.internal.VersionIndex;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.Query;

import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * Answers searches from the version this replica serves: Lucene (BM25, HNSW vectors, or
 * both fused), the query-vector cache and the result cache only, no database.
 */
@Service
public class SearchService {

	/** Largest {@code k}. */
	public static final int MAX_K = 100;

	/** Longest query after trimming, in characters. */
	public static final int MAX_QUERY_LENGTH = 1000;

	private final LocalIndexes indexes;

	private final ResultCache cache;

	private final QueryFactory queries;

	private final SearchRecorder recorder;

	private final Clock clock;

	private final Timer latency;

	/** Results of each ranking that hybrid fuses (at least; 4k when that is more). */
	static final int FUSION_DEPTH = 50;

	/** Reciprocal Rank Fusion's constant: how much the first ranks outweigh the rest. */
	static final int RRF_K = 60;

	private static final int MAX_CANDIDATES = 1000;

	private final double minScore;

	private final double minSimilarity;

	private final QueryVectors vectors;

	private final SearchProperties.Fusion fusion;

	private final double semanticWeight;

	SearchService(LocalIndexes indexes, ResultCache cache, SearchProperties properties, HitProperties verdict,
			QueryVectors vectors, SearchRecorder recorder, Clock clock, MeterRegistry registry) {
		this.indexes = indexes;
		this.vectors = vectors;
		this.minScore = verdict.minScore();
		// a replica searches by meaning only versions of its own model, so the model's
		// threshold is the one every semantic and hybrid verdict here needs
		this.minSimilarity = (verdict.minSimilarity() != null) ? verdict.minSimilarity() : vectors.hitSimilarity();
		this.cache = cache;
		this.queries = new QueryFactory(properties.maxQueryTerms());
		this.fusion = properties.fusion();
		this.semanticWeight = properties.semanticWeight();
		this.recorder = recorder;
		this.clock = clock;
		this.latency = Timer.builder("brain.search.latency")
			.description("Time to answer a search, from request to results")
			.publishPercentileHistogram()
			.serviceLevelObjectives(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(200),
					java.time.Duration.ofMillis(800))
			.register(registry);
	}

	/**
	 * @param group {@code chunk} (best chunks) or {@code document} (best documents, each
	 * with its best chunk)
	 * @param mode {@code lexical}, {@code semantic}, {@code hybrid}, or null for hybrid
	 * when the served version has vectors this replica can query, else lexical
	 * @param client who asked (key name or address), for the hit record
	 */
	public SearchResponse search(String q, int k, SearchGroup group, @Nullable String mode, String client) {
		return search(q, k, group, mode, client, null);
	}

	/**
	 * As {@link #search(String, int, String, String, String)}, or, when {@code version}
	 * names a version this replica has open other than the served one, against that
	 * version: same ranking and verdict, but not recorded (no query id, no feedback),
	 * since no application was answered. A version that is not open here: 404.
	 */
	public SearchResponse search(String q, int k, SearchGroup group, @Nullable String mode, String client,
			@Nullable Long version) {
		long started = System.nanoTime();
		String text = validate(q, k);
		SearchMode requested = SearchMode.parse(mode);
		VersionIndex index = (version == null) ? this.indexes.acquireServing().orElseThrow(NoActiveVersion::new)
				: this.indexes.acquireOpen(version)
					.orElseThrow(() -> BrainProblem.notFound("version-not-open", "version " + version
							+ " is not open on this replica: the active version and the versions kept open "
							+ "for a fast rollback can be searched; evaluate others (POST /brain/versions/{v}/evaluate)"));
		boolean served = (version == null) || this.indexes.serving().map(index.ref()::equals).orElse(false);
		ResultCache.Ranked ranked;
		try {
			SearchMode resolved = resolve(index, requested);
			ResultCache.Key key = new ResultCache.Key(index.ref(), text, k, group, resolved);
			ranked = this.cache.get(key, () -> run(index, text, k, group, resolved));
			if (ranked.mode() != resolved) {
				// answered lexically because the query could not be embedded: not worth
				// keeping
				this.cache.invalidate(key);
			}
		}
		finally {
			index.release();
		}
		long elapsed = System.nanoTime() - started;
		if (served) {
			this.latency.record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
		}
		double tookMs = elapsed / 1_000_000.0;
		List<SearchHit> results = ranked.hits();
		// Words judge a lexical answer; meaning judges the others (it tells on-topic from
		// off-topic questions far better than BM25 does, see docs/quality.md).
		boolean lexical = ranked.mode() == SearchMode.LEXICAL;
		float relevance = lexical ? ranked.relevance() : ranked.similarity();
		boolean hit = !results.isEmpty() && relevance >= (lexical ? this.minScore : this.minSimilarity);
		if (!served) {
			return new SearchResponse(null, index.ref().version(), tookMs, hit, ranked.mode().value(), results);
		}
		String queryId = Ids.randomUuid().toString();
		this.recorder.record(new SearchCompleted(queryId, index.ref().version(), text, k, group, results.size(),
				results.isEmpty() ? 0 : results.get(0).score(), hit, tookMs, client, this.clock.instant(), relevance,
				ranked.mode().value()));
		return new SearchResponse(queryId, index.ref().version(), tookMs, hit, ranked.mode().value(), results);
	}

	/**
	 * Searches a sealed version's local index (opening or building it first), whether or
	 * not it is served; nothing is cached or recorded. For evaluations.
	 * @param mode as for {@link #search}
	 */
	public List<SearchHit> searchVersion(VersionRef ref, String q, int k, SearchGroup group, @Nullable String mode) {
		String text = validate(q, k);
		SearchMode requested = SearchMode.parse(mode);
		VersionIndex index = this.indexes.acquire(ref);
		try {
			return run(index, text, k, group, resolve(index, requested)).hits();
		}
		finally {
			index.release();
		}
	}

	/** As {@link #searchVersion}, over an index the caller holds (a scratch index). */
	List<SearchHit> searchIndex(VersionIndex index, String q, int k, SearchGroup group, @Nullable String mode) {
		String text = validate(q, k);
		return run(index, text, k, group, resolve(index, SearchMode.parse(mode))).hits();
	}

	/**
	 * The mode that will answer: semantic needs query vectors from the index's model (409
	 * otherwise); hybrid without them is lexical.
	 */
	private SearchMode resolve(VersionIndex index, @Nullable SearchMode requested) {
		boolean vectors = this.vectors.supports(index.model());
		if (requested == null) {
			return vectors ? SearchMode.HYBRID : SearchMode.LEXICAL;
		}
		if (requested == SearchMode.SEMANTIC && !vectors) {
			throw BrainProblem.conflict("semantic-unavailable", "version " + index.ref().version()
					+ " cannot be searched by meaning: " + this.vectors.whyNot(index.model()) + "; use mode=lexical");
		}
		return (requested == SearchMode.HYBRID && !vectors) ? SearchMode.LEXICAL : requested;
	}

	private ResultCache.Ranked run(VersionIndex index, String text, int k, SearchGroup group, SearchMode mode) {
		boolean byDocument = group == SearchGroup.DOCUMENT;
		try {
			if (mode == SearchMode.LEXICAL) {
				return lexical(index, text, k, byDocument);
			}
			float[] vector;
			try {
				vector = this.vectors.embed(index.model(), text);
			}
			catch (EmbeddingFailure ex) {
				if (mode == SearchMode.SEMANTIC) {
					throw new BrainProblem(HttpStatus.SERVICE_UNAVAILABLE, "embedding-unavailable",
							"Query embedding unavailable", "the query cannot be embedded right now (" + ex.getMessage()
									+ "); mode=lexical still answers");
				}
				return lexical(index, text, k, byDocument);
			}
			if (mode == SearchMode.SEMANTIC) {
				return semantic(index, vector, k, byDocument);
			}
			return hybrid(index, text, vector, k, byDocument);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private ResultCache.Ranked lexical(VersionIndex index, String text, int k, boolean byDocument) throws IOException {
		Set<String> terms = this.queries.terms(text);
		if (terms.isEmpty()) {
			return new ResultCache.Ranked(List.of(), 0, -1, SearchMode.LEXICAL);
		}
		TermStates[] statistics = index.textStatistics(terms);
		Query query = this.queries.create(terms, statistics, index.titleStatistics(terms));
		List<SearchHit> hits = List.copyOf(index.search(query, k, byDocument));
		return new ResultCache.Ranked(hits,
				hits.isEmpty() ? 0 : relevance(hits.get(0).score(), index.maxTextScore(statistics)), -1,
				SearchMode.LEXICAL);
	}

	private static ResultCache.Ranked semantic(VersionIndex index, float[] vector, int k, boolean byDocument)
			throws IOException {
		List<SearchHit> hits = List
			.copyOf(index.search(VersionIndex.nearest(vector, candidates(k, byDocument)), k, byDocument));
		return new ResultCache.Ranked(hits, -1, hits.isEmpty() ? -1 : cosine(hits.get(0).score()), SearchMode.SEMANTIC);
	}

	/**
	 * Both rankings of the top {@link #FUSION_DEPTH} (or 4k) fused, by
	 * {@code brain.search.fusion}:
	 * <ul>
	 * <li>{@code rrf}, Reciprocal Rank Fusion: each result scores the sum of
	 * {@code 1 / (60 + rank)} over the rankings it is in, divided by the most that sum
	 * can be, so the result ranked first by both scores 1. Ranks, not scores, are fused,
	 * so BM25's unbounded scores and cosine similarities need no common scale.</li>
	 * <li>{@code linear}: {@code w * meaning + (1 - w) * words}, each ranking's scores
	 * (cosine similarities, BM25 scores) normalised to 0..1 by their own distribution
	 * ({@link Spread}: mean -3 to +3 standard deviations), so the weight means the same
	 * with any model and any query length. A result found by only one ranking is scored
	 * by the other one too (its BM25 score or its vector's cosine is computed for that
	 * chunk), so it is not punished for falling just below the other ranking's cut.</li>
	 * </ul>
	 * Either way a score is on a 0..1 scale. A ranking whose own best result would not be
	 * a hit gets no vote (unless neither would): BM25 always finds some chunk sharing a
	 * common word, and letting that noise outvote a close match by meaning makes hybrid
	 * worse than semantic alone.
	 */
	private ResultCache.Ranked hybrid(VersionIndex index, String text, float[] vector, int k, boolean byDocument)
			throws IOException {
		int depth = Math.max(FUSION_DEPTH, 4 * k);
		Set<String> terms = this.queries.terms(text);
		TermStates[] statistics = index.textStatistics(terms);
		Query query = this.queries.create(terms, statistics, index.titleStatistics(terms));
		List<VersionIndex.Ranked> words = (query != null) ? index.rank(query, depth, byDocument) : List.of();
		List<VersionIndex.Ranked> meaning = index.rank(VersionIndex.nearest(vector, candidates(depth, byDocument)),
				depth, byDocument);
		double maxText = words.isEmpty() ? 0 : index.maxTextScore(statistics);
		float relevance = words.isEmpty() ? 0 : relevance(words.get(0).score(), maxText);
		float similarity = meaning.isEmpty() ? -1 : cosine(meaning.get(0).score());
		boolean wordsCount = relevance >= this.minScore;
		boolean meaningCounts = similarity >= this.minSimilarity;
		boolean useWords = !words.isEmpty() && (wordsCount || !meaningCounts);
		boolean useMeaning = !meaning.isEmpty() && (meaningCounts || !wordsCount);
		Map<Object, Fused> fused = new LinkedHashMap<>();
		if (useWords) {
			collect(words, fused, true);
		}
		if (useMeaning) {
			collect(meaning, fused, false);
		}
		List<Fused> candidates = new ArrayList<>(fused.values());
		if (this.fusion == SearchProperties.Fusion.LINEAR) {
			if (useWords && useMeaning) {
				fillIn(index, query, vector, candidates);
			}
			double w = useWords ? (useMeaning ? this.semanticWeight : 0) : 1;
			Spread bm25 = Spread.of(words);
			Spread cosines = Spread.of(meaning);
			for (Fused candidate : candidates) {
				double lexical = useWords ? bm25.normalize(candidate.bm25) : 0;
				// the ranking's scores are Lucene's (1 + cos) / 2, the candidates'
				// cosines
				double semantic = useMeaning ? cosines.normalize((1 + candidate.cosine) / 2) : 0;
				candidate.score = w * semantic + (1 - w) * lexical;
			}
		}
		else {
			double max = ((useWords ? 1 : 0) + (useMeaning ? 1 : 0)) / (double) (RRF_K + 1);
			for (Fused candidate : candidates) {
				double sum = ((candidate.wordsRank >= 0) ? 1.0 / (RRF_K + candidate.wordsRank + 1) : 0)
						+ ((candidate.meaningRank >= 0) ? 1.0 / (RRF_K + candidate.meaningRank + 1) : 0);
				candidate.score = sum / max;
			}
		}
		candidates.sort(Comparator.comparingDouble((Fused candidate) -> candidate.score).reversed());
		List<Fused> best = candidates.subList(0, Math.min(k, candidates.size()));
		List<VersionIndex.Ranked> shown = new ArrayList<>(best.size());
		float[] scores = new float[best.size()];
		for (int i = 0; i < best.size(); i++) {
			shown.add(best.get(i).shown());
			scores[i] = (float) best.get(i).score;
		}
		return new ResultCache.Ranked(List.copyOf(index.hits(shown, scores)), relevance, similarity, SearchMode.HYBRID);
	}

	private static void collect(List<VersionIndex.Ranked> ranking, Map<Object, Fused> fused, boolean words) {
		for (int i = 0; i < ranking.size(); i++) {
			VersionIndex.Ranked result = ranking.get(i);
			Fused candidate = fused.computeIfAbsent(result.key(), (key) -> new Fused());
			if (words) {
				candidate.words = result;
				candidate.wordsRank = i;
				candidate.bm25 = result.score();
			}
			else {
				candidate.meaning = result;
				candidate.meaningRank = i;
				candidate.cosine = cosine(result.score());
			}
		}
	}

	/**
	 * Scores each candidate that only one ranking found by the other measure too, on the
	 * chunk it was found with.
	 */
	private static void fillIn(VersionIndex index, @Nullable Query query, float[] vector, List<Fused> candidates)
			throws IOException {
		List<Fused> noWords = new ArrayList<>();
		List<Fused> noMeaning = new ArrayList<>();
		for (Fused candidate : candidates) {
			if (candidate.words == null) {
				noWords.add(candidate);
			}
			else if (candidate.meaning == null) {
				noMeaning.add(candidate);
			}
		}
		if (query != null && !noWords.isEmpty()) {
			float[] bm25 = index.scores(query, docs(noWords));
			for (int i = 0; i < bm25.length; i++) {
				noWords.get(i).bm25 = bm25[i];
			}
		}
		if (!noMeaning.isEmpty()) {
			float[] cosines = index.cosines(vector, docs(noMeaning));
			for (int i = 0; i < cosines.length; i++) {
				noMeaning.get(i).cosine = cosines[i];
			}
		}
	}

	private static int[] docs(List<Fused> candidates) {
		int[] docs = new int[candidates.size()];
		for (int i = 0; i < docs.length; i++) {
			docs[i] = candidates.get(i).shown().doc();
		}
		return docs;
	}

	/** Nearest chunks to ask for: more when they are grouped into documents. */
	private static int candidates(int k, boolean byDocument) {
		return byDocument ? Math.min(MAX_CANDIDATES, 4 * k) : k;
	}

	/**
	 * The cosine similarity behind a vector score (Lucene scores {@code (1 + cos) / 2}).
	 */
	private static float cosine(float score) {
		return 2 * score - 1;
	}

	/**
	 * The best score on a query-independent 0..1 scale: the share of the most the query's
	 * terms can score on chunk text, capped at 1 (title matches can add up to half
	 * again).
	 */
	private static float relevance(float bestScore, double maxTextScore) {
		return (maxTextScore <= 0) ? 0 : (float) Math.min(1.0, bestScore / maxTextScore);
	}

	/**
	 * A ranking's scores as a distribution, for linear fusion: a score is normalised to
	 * where it lies between the ranking's mean minus three standard deviations (0) and
	 * its mean plus three (1), clipped to 0..1 (distribution-based score fusion). Unlike
	 * a fixed scale, this gives both rankings the same spread whatever the model: bge's
	 * cosines crowd into 0.6-0.9 where MiniLM's spread over 0.1-0.8, and BM25's scale
	 * grows with the query. Unlike min-max over the ranking, one outlier does not squeeze
	 * the rest.
	 */
	private record Spread(double low, double width) {

		static Spread of(List<VersionIndex.Ranked> ranking) {
			if (ranking.isEmpty()) {
				return new Spread(0, 0);
			}
			double sum = 0;
			for (VersionIndex.Ranked result : ranking) {
				sum += result.score();
			}
			double mean = sum / ranking.size();
			double squares = 0;
			for (VersionIndex.Ranked result : ranking) {
				squares += (result.score() - mean) * (result.score() - mean);
			}
			double deviation = Math.sqrt(squares / ranking.size());
			return new Spread(mean - 3 * deviation, 6 * deviation);
		}

		double normalize(double score) {
			if (this.width <= 0) {
				// one result, or all alike: as good as the ranking's best
				return (score >= this.low) ? 1 : 0;
			}
			return Math.max(0, Math.min(1, (score - this.low) / this.width));
		}

	}

	/** A result of either ranking or both, while they are fused. */
	private static final class Fused {

		@Nullable
		VersionIndex.Ranked words;

		@Nullable
		VersionIndex.Ranked meaning;

		int wordsRank = -1;

		int meaningRank = -1;

		/** The chunk's BM25 score, 0 when it has none. */
		double bm25;

		/** The chunk's cosine similarity with the query, 0 when unknown. */
		double cosine;

		double score;

		/** The chunk shown: from the ranking that ranks it higher. */
		VersionIndex.Ranked shown() {
			if (this.words == null) {
				return this.meaning;
			}
			if (this.meaning == null) {
				return this.words;
			}
			return (this.meaningRank < this.wordsRank) ? this.meaning : this.words;
		}

	}

	private static String validate(String q, int k) {
		String text = (q != null) ? q.strip() : "";
		if (text.isEmpty()) {
			throw BrainProblem.invalid("q", "is required and must not be blank");
		}
		if (text.length() > MAX_QUERY_LENGTH) {
			throw BrainProblem.invalid("q",
					"must be at most " + MAX_QUERY_LENGTH + " characters; got " + text.length());
		}
		if (k < 1 || k > MAX_K) {
			throw BrainProblem.invalid("k", "must be between 1 and " + MAX_K + "; got " + k);
		}
		return text;
	}

}
