package io.brainplane.quality;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Scores golden evaluation sets against any search, not only a version's local index: a
 * restore drill replays them against the scratch copy of a backup. The sets are read in
 * the caller's transaction, so a caller whose transaction sees another copy of the brain
 * (a drill's scratch schema) replays that copy's sets.
 */
@Service
public class EvalSets {

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	EvalSets(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** How many sets are stored. */
	public long count() {
		return this.jdbc.sql("select count(*) from eval_set").query(Long.class).single();
	}

	/**
	 * Every stored set, by name, scored with the search.
	 * @param version the version the search answers from, for the scores
	 */
	public List<EvalScore> replayAll(long version, Search search) {
		List<EvalScore> scores = new ArrayList<>();
		for (StoredSet set : this.jdbc.sql("select name, k, queries::text from eval_set order by name")
			.query((rs, row) -> new StoredSet(rs.getString(1), rs.getInt(2), rs.getString(3)))
			.list()) {
			scores.add(score(set.name(), version, set.k(), queries(set.queries()), search));
		}
		return scores;
	}

	/**
	 * Hit rate, MRR and recall of the queries: each query's best k documents, as the
	 * search ranks them, against the documents that answer it.
	 */
	public static EvalScore score(String set, long version, int k, List<Query> queries, Search search) {
		double hits = 0;
		double reciprocalRanks = 0;
		double recall = 0;
		for (Query query : queries) {
			List<String> results = search.documentKeys(query.q(), k);
			Set<String> relevant = new HashSet<>(query.relevant());
			int found = 0;
			int firstRank = 0;
			for (int i = 0; i < results.size(); i++) {
				if (relevant.contains(results.get(i))) {
					found++;
					firstRank = (firstRank == 0) ? i + 1 : firstRank;
				}
			}
			hits += (found > 0) ? 1 : 0;
			reciprocalRanks += (firstRank > 0) ? 1.0 / firstRank : 0;
			recall += (double) found / relevant.size();
		}
		int n = queries.size();
		return (n == 0) ? new EvalScore(set, version, k, 0, 0, 0, 0)
				: new EvalScore(set, version, k, n, hits / n, reciprocalRanks / n, recall / n);
	}

	private List<Query> queries(String text) {
		try {
			List<Query> queries = new ArrayList<>();
			for (JsonNode node : this.json.readTree(text)) {
				List<String> relevant = new ArrayList<>();
				node.path("relevant").forEach((key) -> relevant.add(key.asText()));
				if (node.hasNonNull("q") && !relevant.isEmpty()) {
					queries.add(new Query(node.get("q").asText(), relevant));
				}
			}
			return queries;
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("unreadable evaluation set", ex);
		}
	}

	/** A search: the keys of the best k documents for a query, best first. */
	@FunctionalInterface
	public interface Search {

		List<String> documentKeys(String q, int k);

	}

	/** One golden query and the keys of the documents that answer it. */
	public record Query(String q, List<String> relevant) {
	}

	/**
	 * How a search answered an evaluation set.
	 *
	 * @param k results looked at per query (documents, each once)
	 * @param queries how many queries were asked
	 * @param hitRate share of queries with at least one relevant document in the top k
	 * @param mrr mean reciprocal rank of the first relevant document
	 * @param recall mean share of each query's relevant documents found in the top k
	 */
	public record EvalScore(String set, long version, int k, int queries, double hitRate, double mrr, double recall) {
	}

	private record StoredSet(String name, int k, String queries) {
	}

}
