package io.brainplane.support;

import java.util.List;
import java.util.Map;

/**
 * Ranking quality over judged queries: nDCG@10 (graded), MRR@10 and hit@k.
 */
public final class Rankings {

	private Rankings() {
	}

	/**
	 * @param ranked document keys per query, best first
	 * @param judgments per query, relevant document keys with their gain (higher is
	 * better)
	 */
	public static Scores score(Map<String, List<String>> ranked, Map<String, Map<String, Integer>> judgments) {
		double ndcg = 0;
		double mrr = 0;
		double hitAt3 = 0;
		double hitAt5 = 0;
		for (Map.Entry<String, List<String>> query : ranked.entrySet()) {
			Map<String, Integer> relevant = judgments.get(query.getKey());
			List<String> keys = query.getValue();
			ndcg += ndcgAt10(keys, relevant);
			for (int i = 0; i < Math.min(10, keys.size()); i++) {
				if (relevant.containsKey(keys.get(i))) {
					mrr += 1.0 / (i + 1);
					hitAt3 += (i < 3) ? 1 : 0;
					hitAt5 += (i < 5) ? 1 : 0;
					break;
				}
			}
		}
		int n = ranked.size();
		return new Scores(n, ndcg / n, mrr / n, hitAt3 / n, hitAt5 / n);
	}

	private static double ndcgAt10(List<String> ranked, Map<String, Integer> relevant) {
		double dcg = 0;
		for (int i = 0; i < Math.min(10, ranked.size()); i++) {
			dcg += (Math.pow(2, relevant.getOrDefault(ranked.get(i), 0)) - 1) / log2(i + 2);
		}
		List<Integer> ideal = relevant.values().stream().sorted((a, b) -> b - a).toList();
		double idcg = 0;
		for (int i = 0; i < Math.min(10, ideal.size()); i++) {
			idcg += (Math.pow(2, ideal.get(i)) - 1) / log2(i + 2);
		}
		return (idcg == 0) ? 0 : dcg / idcg;
	}

	private static double log2(int value) {
		return Math.log(value) / Math.log(2);
	}

	/**
	 * Mean scores over the queries.
	 */
	public record Scores(int queries, double ndcgAt10, double mrrAt10, double hitAt3, double hitAt5) {

		@Override
		public String toString() {
			return String.format("queries=%d nDCG@10=%.4f MRR@10=%.4f hit@3=%.4f hit@5=%.4f", this.queries,
					this.ndcgAt10, this.mrrAt10, this.hitAt3, this.hitAt5);
		}

	}

}
