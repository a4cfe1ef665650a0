package io.brainplane.audit.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL over {@code brain_audit}: insert, page, and the retention's delete (the only one
 * the table's trigger lets through).
 */
@Repository
class AuditStore {

	private static final String INSERT = """
			insert into brain_audit (event_id, at, actor, action, target, outcome, status, request_id, client, detail)
			select * from unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[],
			                     ?::text[], ?::text[], ?::text[])
			on conflict (event_id) do nothing
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	AuditStore(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/** Writes the entries; one already written (a retried batch) is skipped. */
	void insert(List<AuditEntry> entries) {
		int n = entries.size();
		String[] ids = new String[n];
		String[] at = new String[n];
		String[] actors = new String[n];
		String[] actions = new String[n];
		String[] targets = new String[n];
		String[] outcomes = new String[n];
		Integer[] statuses = new Integer[n];
		String[] requestIds = new String[n];
		String[] clients = new String[n];
		String[] details = new String[n];
		for (int i = 0; i < n; i++) {
			AuditEntry entry = entries.get(i);
			ids[i] = entry.eventId().toString();
			at[i] = entry.at().toString();
			actors[i] = entry.actor();
			actions[i] = entry.action();
			targets[i] = entry.target();
			outcomes[i] = entry.outcome();
			statuses[i] = entry.status();
			requestIds[i] = entry.requestId();
			clients[i] = entry.client();
			details[i] = entry.detail();
		}
		this.jdbc.sql(INSERT)
			.params(ids, at, actors, actions, targets, outcomes, statuses, requestIds, clients, details)
			.update();
	}

	/** Newest first, ids below {@code before} when given. */
	List<Row> page(int limit, @Nullable Long before, @Nullable String actor, @Nullable String action) {
		StringBuilder sql = new StringBuilder("select * from brain_audit where true");
		List<Object> params = new ArrayList<>();
		if (before != null) {
			sql.append(" and id < ?");
			params.add(before);
		}
		if (actor != null) {
			sql.append(" and actor = ?");
			params.add(actor);
		}
		if (action != null) {
			sql.append(" and action = ?");
			params.add(action);
		}
		sql.append(" order by id desc limit ?");
		params.add(limit);
		return this.jdbc.sql(sql.toString()).params(params).query(AuditStore::row).list();
	}

	/**
	 * Deletes entries older than the cutoff, in the one transaction the table allows it.
	 */
	int prune(Instant cutoff) {
		Integer deleted = this.transactions.execute((status) -> {
			this.jdbc.sql("select set_config('brain.audit_retention', 'on', true)").query().singleRow();
			return this.jdbc.sql("delete from brain_audit where at < ?").param(Timestamp.from(cutoff)).update();
		});
		return (deleted != null) ? deleted : 0;
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
				rs.getString("action"), rs.getString("target"), rs.getString("outcome"),
				rs.getObject("status", Integer.class), rs.getString("request_id"), rs.getString("client"),
				rs.getString("detail"));
	}

	/**
	 * One audit entry as {@code GET /brain/audit} shows it.
	 *
	 * @param id increasing; pass the last one as {@code before} for the next page
	 * @param actor the API key's name, {@code webhook}, {@code system}, or
	 * {@code anonymous} for a call without a known key
	 * @param action {@code <resource>.<verb>}, named after the endpoint
	 * @param target the path variables ({@code version=7}), or the path when no endpoint
	 * matched
	 * @param outcome {@code ok}, {@code refused} (4xx) or {@code failed} (5xx)
	 * @param status the HTTP status; null for system actions
	 */
	record Row(long id, Instant at, String actor, String action, @Nullable String target, String outcome,
			@Nullable Integer status, @Nullable String requestId, @Nullable String client, @Nullable String detail) {
	}

}
