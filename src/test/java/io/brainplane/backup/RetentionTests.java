package io.brainplane.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.brainplane.backup.internal.Backup;
import io.brainplane.backup.internal.Retention;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetentionTests extends IntegrationTest {

	private static final Instant NOW = Instant.parse("2026-01-31T03:00:00Z");

	@Test
	void backupsBeyondTheMaximumCountOrOlderThanTheMaximumAgeAreDeletedWithTheirFiles() throws Exception {
		Path backups = Files.createTempDirectory("retention");
		try (SecondReplica replica = SecondReplica.start(TestDatabase.createDatabase("backup_retention"),
				Files.createTempDirectory("retention-data"), "--brain.backup.dir=" + backups,
				"--brain.backup.retention.max-count=3", "--brain.backup.retention.max-age=30d")) {
			Brain brain = new Brain(replica.api());
			brain.sealed("none", List.of(Brain.doc(unique("r"), "Something worth keeping.")));
			JdbcClient jdbc = replica.bean(JdbcClient.class);
			String first = brain.backup();
			String second = brain.backup();
			jdbc.sql("update brain_backup set started_at = ? where id = ?")
				.params(Timestamp.from(Instant.now().minus(Duration.ofDays(31))), first)
				.update();

			String third = brain.backup();
			// Retention runs after the backup is marked SUCCEEDED, as the end of its run:
			// wait for it.
			awaitIds(brain, third, second);
			assertThat(brain.api().get("/brain/backups/" + first).status()).isEqualTo(404);
			assertThat(backups.resolve(first)).doesNotExist();

			String fourth = brain.backup();
			String fifth = brain.backup();
			awaitIds(brain, fifth, fourth, third);
			assertThat(backups.resolve(second)).doesNotExist();
			assertThat(backups.resolve(third).resolve("manifest.json")).exists();
		}
	}

	@Test
	void theNewestVerifiedBackupIsNeverDeletedAndTakesOneOfThePlaces() {
		Backup newestUnverified = backup("e", NOW.minus(Duration.ofDays(1)), null);
		Backup verifiedButOld = backup("d", NOW.minus(Duration.ofDays(40)), true);
		Backup older = backup("c", NOW.minus(Duration.ofDays(41)), true);
		List<Backup> newestFirst = List.of(newestUnverified, verifiedButOld, older);
		assertThat(Retention.toDelete(newestFirst, NOW, 10, Duration.ofDays(30))).containsExactly(older);
		// unverified backups count for nothing: kept until they are too old
		assertThat(Retention.toDelete(newestFirst, NOW, 1, Duration.ofDays(30))).containsExactly(older);
		assertThat(Retention.toDelete(newestFirst, NOW, 2, Duration.ofDays(365))).isEmpty();
		assertThat(Retention.toDelete(newestFirst, NOW, 1, Duration.ofDays(365))).containsExactly(older);
	}

	@Test
	void onlySuccessfulVerifiedBackupsCountAndRunningOnesAreNeverTouched() {
		Backup running = new Backup("g", Backup.RUNNING, Backup.Trigger.MANUAL, NOW.minus(Duration.ofDays(60)), null,
				null, null, null, null, null, null, null);
		Backup failed = new Backup("f", Backup.FAILED, Backup.Trigger.MANUAL, NOW.minusSeconds(5), NOW, null, null,
				null, null, null, null, null);
		Backup oldFailed = new Backup("a", Backup.FAILED, Backup.Trigger.MANUAL, NOW.minus(Duration.ofDays(31)), NOW,
				null, null, null, null, null, null, null);
		List<Backup> newestFirst = List.of(failed, backup("e", NOW.minusSeconds(10), true),
				backup("d", NOW.minusSeconds(20), false), backup("c", NOW.minusSeconds(30), null),
				backup("b", NOW.minusSeconds(40), true), backup("b0", NOW.minusSeconds(50), true), oldFailed, running);
		assertThat(Retention.toDelete(newestFirst, NOW, 2, Duration.ofDays(30))).extracting(Backup::id)
			.containsExactly("b0", "a");
	}

	@Test
	void theNewestVerifiedBackupIsKeptWhateverItsAge() {
		List<Backup> newestFirst = List.of(backup("c", NOW.minus(Duration.ofDays(50)), true),
				backup("b", NOW.minus(Duration.ofDays(60)), true));
		assertThat(Retention.toDelete(newestFirst, NOW, 5, Duration.ofDays(30))).extracting(Backup::id)
			.containsExactly("b");
	}

	private static Backup backup(String id, Instant startedAt, Boolean verifyOk) {
		return new Backup(id, Backup.SUCCEEDED, Backup.Trigger.SCHEDULE, startedAt, startedAt, 1L, 1L, 1L, startedAt,
				verifyOk, null, null);
	}

	private static void awaitIds(Brain brain, String... newestFirst) {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(ids(brain)).containsExactly(newestFirst));
	}

	private static List<String> ids(Brain brain) {
		return brain.api().get("/brain/backups").json().get("backups").findValuesAsText("id");
	}

}
