package io.brainplane.backup.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code brain_backup} table: one row per backup, never part of a backup and never
 * touched by a restore.
 */
@Component
public class BackupStore {

	private static final String COLUMNS = """
			id, state, trigger, started_at, finished_at, size_bytes, active_version, rows, verified_at,
			verify_ok, drilled_at, rto_seconds
			""";

	private final JdbcClient jdbc;

	BackupStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void started(String id, Backup.Trigger trigger, Instant startedAt, Instant dueAt) {
		this.jdbc.sql("insert into brain_backup (id, state, trigger, started_at, due_at) values (?, ?, ?, ?, ?)")
			.params(id, Backup.State.RUNNING.name(), trigger.value(), Timestamp.from(startedAt),
					(dueAt != null) ? Timestamp.from(dueAt) : null)
			.update();
	}

	void succeeded(Manifest manifest) {
		this.jdbc.sql("""
				update brain_backup set state = ?, finished_at = ?, size_bytes = ?, active_version = ?,
				rows = ? where id = ?
				""")
			.params(Backup.State.SUCCEEDED.name(), Timestamp.from(manifest.finishedAt()), manifest.sizeBytes(),
					manifest.activeVersion(), manifest.rows(), manifest.id())
			.update();
	}

	/** Records a backup found on disk (taken elsewhere, or before a disaster). */
	void imported(String id, Manifest manifest) {
		this.jdbc.sql("""
				insert into brain_backup (id, state, trigger, started_at, finished_at, size_bytes, active_version, rows)
				values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing
				""")
			.params(id, Backup.State.SUCCEEDED.name(), Backup.Trigger.IMPORT.value(),
					Timestamp.from(manifest.startedAt()), Timestamp.from(manifest.finishedAt()), manifest.sizeBytes(),
					manifest.activeVersion(), manifest.rows())
			.update();
	}

	void failed(String id, Instant finishedAt, String error) {
		this.jdbc.sql("update brain_backup set state = ?, finished_at = ?, error = ? where id = ?")
			.params(Backup.State.FAILED.name(), Timestamp.from(finishedAt), error, id)
			.update();
	}

	void verified(String id, boolean ok, Instant at) {
		this.jdbc.sql("update brain_backup set verified_at = ?, verify_ok = ? where id = ?")
			.params(Timestamp.from(at), ok, id)
			.update();
	}

	void drilled(String id, boolean ok, double rtoSeconds, Instant at) {
		this.jdbc.sql("update brain_backup set drilled_at = ?, drill_ok = ?, rto_seconds = ? where id = ?")
			.params(Timestamp.from(at), ok, rtoSeconds, id)
			.update();
	}

	/** Marks backups left RUNNING by a replica that stopped mid-backup. */
	void abandon(Instant before, Instant now) {
		this.jdbc.sql("""
				update brain_backup set state = ?, finished_at = ?, error = 'abandoned'
				where state = ? and started_at < ?
				""")
			.params(Backup.State.FAILED.name(), Timestamp.from(now), Backup.State.RUNNING.name(),
					Timestamp.from(before))
			.update();
	}

	Optional<Backup> find(String id) {
		return this.jdbc.sql("select " + COLUMNS + " from brain_backup where id = ?")
			.param(id)
			.query(BackupStore::map)
			.optional();
	}

	/** Newest first. */
	List<Backup> list() {
		return this.jdbc.sql("select " + COLUMNS + " from brain_backup order by started_at desc, id desc")
			.query(BackupStore::map)
			.list();
	}

	Optional<Backup> lastSuccess() {
		return this.jdbc
			.sql("select " + COLUMNS
					+ " from brain_backup where state = ? and trigger <> ? order by finished_at desc limit 1")
			.params(Backup.State.SUCCEEDED.name(), Backup.Trigger.IMPORT.value())
			.query(BackupStore::map)
			.optional();
	}

	Optional<Backup> lastDrill() {
		return this.jdbc
			.sql("select " + COLUMNS
					+ " from brain_backup where drilled_at is not null order by drilled_at desc limit 1")
			.query(BackupStore::map)
			.optional();
	}

	void delete(String id) {
		this.jdbc.sql("delete from brain_backup where id = ?").param(id).update();
	}

	private static Backup map(ResultSet rs, int row) throws SQLException {
		return new Backup(rs.getString("id"), Backup.State.valueOf(rs.getString("state")),
				Backup.Trigger.of(rs.getString("trigger")), instant(rs, "started_at"), instant(rs, "finished_at"),
				rs.getObject("size_bytes", Long.class), rs.getObject("active_version", Long.class),
				rs.getObject("rows", Long.class), instant(rs, "verified_at"), rs.getObject("verify_ok", Boolean.class),
				instant(rs, "drilled_at"), rs.getObject("rto_seconds", Double.class));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

}
