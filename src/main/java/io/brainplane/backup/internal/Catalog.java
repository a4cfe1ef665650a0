package io.brainplane.backup.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the brain's tables and sequences from the catalog of the current schema, so that
 * tables added by later migrations are backed up without anyone listing them. Restore
 * order puts every table after the tables its foreign keys reference.
 */
public final class Catalog {

	/**
	 * Not brain data: Flyway's own history, the backup module's bookkeeping, the audit
	 * trail (append-only: a restore is one more entry in it, never a rewrite of it), the
	 * replicas' heartbeats and where the garbage collector's sweeps stopped (runtime
	 * state).
	 */
	static final Set<String> EXCLUDED = Set.of("flyway_schema_history", "brain_backup", "shedlock", "brain_audit",
			"replica_heartbeat", "ingest_sweep_cursor");

	private Catalog() {
	}

	/** The brain's tables with their columns, in restore order. */
	static Map<String, List<String>> tables(Connection connection) throws SQLException {
		Map<String, List<String>> columns = new TreeMap<>();
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("""
				select c.table_name, c.column_name from information_schema.columns c
				join information_schema.tables t
				  on t.table_schema = c.table_schema and t.table_name = c.table_name
				where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
				  and c.is_generated = 'NEVER'
				order by c.table_name, c.ordinal_position
				""")) {
			while (rs.next()) {
				if (!EXCLUDED.contains(rs.getString(1))) {
					columns.computeIfAbsent(rs.getString(1), (name) -> new ArrayList<>()).add(rs.getString(2));
				}
			}
		}
		Map<String, List<String>> ordered = new java.util.LinkedHashMap<>();
		for (String table : restoreOrder(columns.keySet(), foreignKeys(connection))) {
			ordered.put(table, columns.get(table));
		}
		return ordered;
	}

	/** Child table to the tables it references. */
	static Map<String, Set<String>> foreignKeys(Connection connection) throws SQLException {
		Map<String, Set<String>> references = new HashMap<>();
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("""
				select child.relname, parent.relname from pg_constraint c
				join pg_class child on child.oid = c.conrelid
				join pg_class parent on parent.oid = c.confrelid
				join pg_namespace n on n.oid = child.relnamespace
				where c.contype = 'f' and n.nspname = current_schema()
				""")) {
			while (rs.next()) {
				references.computeIfAbsent(rs.getString(1), (name) -> new TreeSet<>()).add(rs.getString(2));
			}
		}
		return references;
	}

	/**
	 * Tables ordered so that referenced tables come first (self references ignored),
	 * alphabetically among equals; a cycle is appended as it stands.
	 */
	static List<String> restoreOrder(Set<String> tables, Map<String, Set<String>> references) {
		List<String> order = new ArrayList<>();
		Set<String> remaining = new TreeSet<>(tables);
		while (!remaining.isEmpty()) {
			String next = remaining.stream()
				.filter((table) -> references.getOrDefault(table, Set.of())
					.stream()
					.noneMatch((parent) -> !parent.equals(table) && remaining.contains(parent)))
				.findFirst()
				.orElse(remaining.iterator().next());
			order.add(next);
			remaining.remove(next);
		}
		return order;
	}

	static List<String> sequences(Connection connection) throws SQLException {
		Set<String> names = new LinkedHashSet<>();
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"select sequencename from pg_sequences where schemaname = current_schema() order by sequencename")) {
			while (rs.next()) {
				names.add(rs.getString(1));
			}
		}
		return List.copyOf(names);
	}

	/**
	 * The sequences owned by a table's column ({@code bigserial} or identity), with their
	 * table; a sequence of its own (such as the version numbers') is not listed.
	 */
	static Map<String, String> sequenceOwners(Connection connection) throws SQLException {
		Map<String, String> owners = new TreeMap<>();
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("""
				select s.relname, t.relname from pg_class s
				join pg_namespace n on n.oid = s.relnamespace
				join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid
				    and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
				join pg_class t on t.oid = d.refobjid
				where s.relkind = 'S' and n.nspname = current_schema()
				""")) {
			while (rs.next()) {
				owners.put(rs.getString(1), rs.getString(2));
			}
		}
		return owners;
	}

	static Manifest.SequenceValue sequenceValue(Connection connection, String name) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select last_value, is_called from " + quote(name))) {
			rs.next();
			return new Manifest.SequenceValue(name, rs.getLong(1), rs.getBoolean(2));
		}
	}

	/** The Flyway version of the schema, e.g. {@code 3}. */
	static String schemaVersion(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("""
				select version from flyway_schema_history
				where success and version is not null order by installed_rank desc limit 1
				""")) {
			return rs.next() ? rs.getString(1) : "0";
		}
	}

	static Long activeVersion(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("select version from active_pointer where id = 1");
				ResultSet rs = statement.executeQuery()) {
			return rs.next() ? rs.getObject(1, Long.class) : null;
		}
	}

	static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	static String columnList(List<String> columns) {
		return String.join(", ", columns.stream().map(Catalog::quote).toList());
	}

}
