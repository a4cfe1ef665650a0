package io.brainplane.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ScheduleTests extends IntegrationTest {

	@Test
	void twoReplicasOnOneDatabaseRunEachDueBackupOnceNotTwice() throws Exception {
		TestDatabase.Coordinates database = TestDatabase.createDatabase("backup_schedule");
		Path backups = Files.createTempDirectory("scheduled");
		String[] schedule = { "--brain.backup.dir=" + backups, "--brain.backup.cron=*/3 * * * * *",
				"--brain.backup.lock-at-least-for=PT2.5S", "--brain.backup.verify-after-backup=false" };
		List<Map<String, Object>> due;
		try (SecondReplica one = SecondReplica.start(database, Files.createTempDirectory("one"), schedule);
				SecondReplica two = SecondReplica.start(database, Files.createTempDirectory("two"), schedule)) {
			JdbcClient jdbc = one.bean(JdbcClient.class);
			long startedBefore = scheduled(jdbc);
			// Both replicas are up now: watch three due times.
			await().atMost(Duration.ofSeconds(30)).until(() -> scheduled(jdbc) >= startedBefore + 3);
			due = jdbc.sql("""
					select due_at, count(*) as runs from brain_backup where trigger = 'schedule'
					group by due_at order by due_at
					""").query().listOfRows();
		}
		assertThat(due).hasSizeGreaterThanOrEqualTo(3);
		assertThat(due).allSatisfy((row) -> assertThat(((Number) row.get("runs")).longValue()).isEqualTo(1));
	}

	private static long scheduled(JdbcClient jdbc) {
		return jdbc.sql("select count(*) from brain_backup where trigger = 'schedule'").query(Long.class).single();
	}

}
