package io.brainplane.backup.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * ShedLock on the database ({@code shedlock} table, database time), so a schedule runs on
 * exactly one replica.
 */
@Configuration(proxyBeanMethods = false)
@EnableSchedulerLock(defaultLockAtMostFor = "PT1M")
public class BackupLockConfiguration {

	/**
	 * Locks are taken for a short {@code lockAtMostFor} (a minute by default) and kept
	 * alive, extended every half of it, while their holder works: a replica killed
	 * mid-backup, mid-restore or mid-drill blocks the others for at most that minute.
	 */
	@Bean
	LockProvider lockProvider(DataSource dataSource) {
		ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "brain-lock-keep-alive");
			thread.setDaemon(true);
			return thread;
		});
		return new KeepAliveLockProvider(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.usingDbTime()
			.build()), keepAlive);
	}

}
