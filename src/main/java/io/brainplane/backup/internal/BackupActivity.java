package io.brainplane.backup.internal;

import java.sql.Timestamp;
import java.time.Instant;

import io.brainplane.platform.BackupHistory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The backup catalogue as the other modules may see it ({@link BackupHistory}).
 */
@Component
class BackupActivity implements BackupHistory {

	private final JdbcClient jdbc;

	BackupActivity(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public long succeededSince(Instant since) {
		return this.jdbc.sql("select count(*) from brain_backup where state = ? and finished_at >= ?")
			.params(Backup.State.SUCCEEDED.name(), Timestamp.from(since))
			.query(Long.class)
			.single();
	}

}
