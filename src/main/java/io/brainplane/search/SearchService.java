package io.brainplane.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.brainplane.index.VersionRef;
import io.brainplane.platform.BrainProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.lucene.search.Query;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Answers searches from the version this replica serves: Lucene and the result cache
 * only, no database.
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

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Timer latency;

	private final double minScore;

	SearchService(LocalIndexes indexes, ResultCache cache, SearchProperties properties, HitVerdictProperties verdict,
			ApplicationEventPublisher events, Clock clock, MeterRegistry registry) {
		this.indexes = indexes;
		this.minScore = verdict.minScore();
		this.cache = cache;
		this.queries = new QueryFactory(properties.maxQueryTerms());
		this.events = events;
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
	 * @param client who asked (key name or address), for the hit record
	 */
	public SearchResponse search(String q, int k, String group, String client) {
		long started = System.nanoTime();
		String text = validate(q, k, group);
		VersionIndex index = this.indexes.acquireServing().orElseThrow(NoActiveVersion::new);
		ResultCache.Ranked ranked;
		try {
			ranked = this.cache.get(new ResultCache.Key(index.ref(), text, k, group), () -> run(index, text, k, group));
		}
		finally {
			index.release();
		}
		long elapsed = System.nanoTime() - started;
		this.latency.record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
		double tookMs = elapsed / 1_000_000.0;
		List<SearchHit> results = ranked.hits();
		boolean hit = !results.isEmpty() && ranked.relevance() >= this.minScore;
		String queryId = UUID.randomUUID().toString();
		this.events.publishEvent(new SearchCompleted(queryId, index.ref().version(), text, k, group, results.size(),
				results.isEmpty() ? 0 : results.get(0).score(), hit, tookMs, client, this.clock.instant(),
				ranked.relevance()));
		return new SearchResponse(queryId, index.ref().version(), tookMs, hit, results);
	}

	/**
	 * Searches a sealed version's local index (opening or building it first), whether or
	 * not it is served; nothing is cached or recorded. For evaluations.
	 */
	public List<SearchHit> searchVersion(VersionRef ref, String q, int k, String group) {
		String text = validate(q, k, group);
		VersionIndex index = this.indexes.acquire(ref);
		try {
			return run(index, text, k, group).hits();
		}
		finally {
			index.release();
		}
	}

	private ResultCache.Ranked run(VersionIndex index, String text, int k, String group) {
		Set<String> terms = this.queries.terms(text);
		Query query = this.queries.create(terms);
		if (query == null) {
			return new ResultCache.Ranked(List.of(), 0);
		}
		try {
			List<SearchHit> hits = List.copyOf(index.search(query, k, group.equals("document")));
			return new ResultCache.Ranked(hits, hits.isEmpty() ? 0 : relevance(hits.get(0), index, terms));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The best score on a query-independent 0..1 scale: the share of the most the query's
	 * terms can score on chunk text, capped at 1 (title matches can add up to half
	 * again).
	 */
	private static float relevance(SearchHit best, VersionIndex index, Set<String> terms) throws IOException {
		double max = index.maxTextScore(terms);
		return (max <= 0) ? 0 : (float) Math.min(1.0, best.score() / max);
	}

	private static String validate(String q, int k, String group) {
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
		if (!group.equals("chunk") && !group.equals("document")) {
			throw BrainProblem.invalid("group", "must be \"chunk\" or \"document\"");
		}
		return text;
	}

}
