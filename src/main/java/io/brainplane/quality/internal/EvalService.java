package io.brainplane.quality.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.index.IndexVersion;
import io.brainplane.index.VersionService;
import io.brainplane.platform.BrainProblem;
import io.brainplane.quality.EvalSets;
import io.brainplane.search.SearchGroup;
import io.brainplane.search.SearchHit;
import io.brainplane.search.SearchService;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * Golden evaluation sets (queries with the documents that answer them) and the evaluation
 * of a sealed version against one: each query searches the version's local index for the
 * best k documents; hit rate, MRR and recall are stored on the version.
 */
@Service
public class EvalService {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

	private static final int MAX_QUERIES = 1000;

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	private final VersionService versions;

	private final SearchService search;

	private final Clock clock;

	EvalService(JdbcClient jdbc, ObjectMapper json, VersionService versions, SearchService search, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.versions = versions;
		this.search = search;
		this.clock = clock;
	}

	public EvalSetSummary save(String name, EvalSetInput input) {
		requireName(name);
		int k = (input.k() != null) ? input.k() : 10;
		if (k < 1 || k > SearchService.MAX_K) {
			throw BrainProblem.invalid("k", "must be between 1 and " + SearchService.MAX_K);
		}
		List<EvalQuery> queries = (input.queries() != null) ? input.queries() : List.of();
		if (queries.isEmpty() || queries.size() > MAX_QUERIES) {
			throw BrainProblem.invalid("queries", "must hold 1.." + MAX_QUERIES + " queries");
		}
		for (int i = 0; i < queries.size(); i++) {
			EvalQuery query = queries.get(i);
			if (query.q() == null || query.q().isBlank()
					|| query.q().strip().length() > SearchService.MAX_QUERY_LENGTH) {
				throw BrainProblem.invalid("queries[" + i + "].q",
						"is required, 1.." + SearchService.MAX_QUERY_LENGTH + " characters");
			}
			if (query.relevant() == null || query.relevant().isEmpty()
					|| query.relevant().stream().anyMatch((key) -> key == null || key.isEmpty())) {
				throw BrainProblem.invalid("queries[" + i + "].relevant", "must list at least one document key");
			}
		}
		this.jdbc.sql("""
				insert into eval_set (name, k, queries, updated_at) values (?, ?, ?::jsonb, now())
				on conflict (name) do update set k = excluded.k, queries = excluded.queries, updated_at = now()
				""").params(name, k, write(queries)).update();
		return new EvalSetSummary(name, k, queries.size());
	}

	public Evaluation evaluate(long version, @Nullable String set) {
		if (set == null || set.isBlank()) {
			throw BrainProblem.invalid("set", "is required: the name of an evaluation set");
		}
		requireName(set);
		IndexVersion target = this.versions.get(version);
		if (!target.state().sealed()) {
			throw BrainProblem.conflict("version-not-sealed",
					"version " + version + " is " + target.state() + "; only a sealed version can be evaluated");
		}
		StoredSet stored = this.jdbc.sql("select k, queries::text from eval_set where name = ?")
			.param(set)
			.query((rs, row) -> new StoredSet(rs.getInt(1), read(rs.getString(2))))
			.optional()
			.orElseThrow(() -> BrainProblem.notFound("eval-set-not-found", "No evaluation set named '" + set + "'"));
		EvalSets.EvalScore score = EvalSets.score(set, version, stored.k(),
				stored.queries().stream().map((query) -> new EvalSets.Query(query.q(), query.relevant())).toList(),
				(q, k) -> this.search.searchVersion(target.ref(), q, k, SearchGroup.DOCUMENT, null)
					.stream()
					.map(SearchHit::documentKey)
					.toList());
		Evaluation evaluation = new Evaluation(set, version, stored.k(), score.queries(), score.hitRate(), score.mrr(),
				score.recall(), this.clock.instant());
		this.versions.recordEvaluation(version, write(evaluation));
		return evaluation;
	}

	private static void requireName(String name) {
		if (!NAME.matcher(name).matches()) {
			throw BrainProblem.invalid("name", "must be 1..100 letters, digits, '.', '_' or '-'");
		}
	}

	private String write(Object value) {
		try {
			return this.json.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private List<EvalQuery> read(String text) {
		try {
			return new ArrayList<>(List.of(this.json.readValue(text, EvalQuery[].class)));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The body of {@code PUT /brain/eval-sets/{name}}.
	 */
	public record EvalSetInput(@Nullable List<EvalQuery> queries, @Nullable Integer k) {
	}

	/**
	 * One golden query and the keys of the documents that answer it.
	 */
	public record EvalQuery(@Nullable String q, @Nullable List<String> relevant) {
	}

	/**
	 * What was stored.
	 */
	public record EvalSetSummary(String name, int k, int queries) {
	}

	private record StoredSet(int k, List<EvalQuery> queries) {
	}

}
