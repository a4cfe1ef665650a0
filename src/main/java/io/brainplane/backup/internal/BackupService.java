package io.brainplane.backup.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import io.brainplane.platform.BrainProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * Backups: take one (in the background), list, verify, restore, drill, and apply
 * retention. Taking and restoring a backup hold the {@value #LOCK} ShedLock lock, so at
 * most one of them runs across all replicas.
 */
@Service
public class BackupService implements DisposableBean {

	/** The lock held by whoever takes or restores a backup. */
	public static final String LOCK = "brain-backup";

	/** The lock held by a drill. */
	public static final String DRILL_LOCK = "brain-backup-drill";

	private static final Logger log = LoggerFactory.getLogger(BackupService.class);

	private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private final BackupStore store;

	private final BackupArchive archive;

	private final BackupKeys keys;

	private final SnapshotWriter writer;

	private final Verifier verifier;

	private final Restorer restorer;

	private final VersionRestorer versionRestorer;

	private final DrillEvaluator drillEvaluator;

	private final LockProvider locks;

	private final BackupMetrics metrics;

	private final BackupProperties properties;

	private final Clock clock;

	private final ExecutorService background = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "brain-backup");
		thread.setDaemon(true);
		return thread;
	});

	BackupService(BackupStore store, BackupArchive archive, BackupKeys keys, SnapshotWriter writer, Verifier verifier,
			Restorer restorer, VersionRestorer versionRestorer, DrillEvaluator drillEvaluator, LockProvider locks,
			BackupMetrics metrics, BackupProperties properties, Clock clock) {
		this.store = store;
		this.archive = archive;
		this.keys = keys;
		this.writer = writer;
		this.verifier = verifier;
		this.restorer = restorer;
		this.versionRestorer = versionRestorer;
		this.drillEvaluator = drillEvaluator;
		this.locks = locks;
		this.metrics = metrics;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Starts a backup in the background; 409 while another backup or a restore runs.
	 */
	public Backup start() {
		SimpleLock lock = lock(LOCK);
		try {
			Instant started = this.clock.instant();
			String id = newId(started);
			this.store.abandon(started, started);
			this.store.started(id, Backup.Trigger.MANUAL, started, null);
			this.background.execute(() -> {
				try {
					run(id, started);
				}
				finally {
					lock.unlock();
				}
			});
			return get(id);
		}
		catch (RuntimeException ex) {
			lock.unlock();
			throw ex;
		}
	}

	/**
	 * Takes a backup now, on the caller's thread; the caller holds the schedule lock.
	 */
	public Backup runScheduled() {
		Instant started = this.clock.instant();
		String id = newId(started);
		this.store.abandon(started, started);
		this.store.started(id, Backup.Trigger.SCHEDULE, started, started.truncatedTo(ChronoUnit.SECONDS));
		run(id, started);
		return get(id);
	}

	/**
	 * Every backup, newest first: the catalogue, after recording the backups the store
	 * holds that it does not know yet (taken on another database, or before the database
	 * was lost). When the store cannot be read, the catalogue as it is.
	 */
	public List<Backup> list() {
		try {
			for (String id : this.archive.ids()) {
				if (this.store.find(id).isEmpty()) {
					importFromStore(id);
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not list the backups in {}: {}", this.archive.location(), ex.toString());
		}
		return this.store.list();
	}

	/**
	 * The backup with that id; one found only in the store is recorded on first sight.
	 */
	public Backup get(String id) {
		return this.store.find(id).or(() -> importFromStore(id)).orElseThrow(() -> notFound(id));
	}

	/**
	 * Verifies the backup and records the verdict; a backup that cannot be read from here
	 * is reported {@code unavailable here} and its recorded verdict left alone.
	 */
	public VerifyResult verify(String id) {
		Backup backup = get(id);
		requireSucceeded(backup);
		Verifier.Check check = this.verifier.check(id);
		if (!check.unavailable()) {
			this.store.verified(id, check.ok(), this.clock.instant());
		}
		return new VerifyResult(id, check.ok(), check.problems(), check.unavailable());
	}

	/**
	 * Replaces the brain tables of the scope with the backup's rows, in one transaction,
	 * after verifying the backup. Everything that can refuse the restore (key, schema,
	 * verification) runs before anything changes.
	 */
	public RestoreResult restore(String id, RestoreScope scope) {
		return restore(id, scope, null);
	}

	/**
	 * As {@link #restore(String, RestoreScope)}; scope {@code version} brings back the
	 * backup's version {@code version} as a new {@code BUILDING} version and changes
	 * nothing else.
	 * @param version the version to bring back, for scope {@code version} only
	 */
	public RestoreResult restore(String id, RestoreScope scope, @Nullable Long version) {
		if ((scope == RestoreScope.VERSION) != (version != null)) {
			throw BrainProblem.invalid("version",
					(version == null) ? "scope=version needs the number of the version to bring back: version=N"
							: "version is only for scope=version");
		}
		long started = System.nanoTime();
		Backup backup = get(id);
		requireSucceeded(backup);
		SimpleLock lock = lock(LOCK);
		try {
			Manifest manifest = manifest(id);
			BackupCipher.Key key = this.verifier.key(manifest);
			Optional<String> otherSchema = this.restorer.otherSchema(manifest);
			if (otherSchema.isPresent()) {
				throw new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "backup-schema-mismatch",
						"Backup from another schema version", otherSchema.get() + "; nothing was restored");
			}
			Verifier.Check check = this.verifier.check(manifest);
			this.store.verified(id, check.ok(), this.clock.instant());
			if (!check.ok()) {
				BrainProblem problem = new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "backup-invalid",
						"Backup failed verification", "backup " + id + " failed verification; nothing was restored");
				problem.getBody().setProperty("problems", check.problems());
				throw problem;
			}
			if (scope == RestoreScope.VERSION) {
				VersionRestorer.Restored restored = this.versionRestorer.restore(manifest, key, version);
				double seconds = (System.nanoTime() - started) / 1e9;
				log.info("Restored version {} of backup {} as new version {} ({} documents, {} chunks) in {} s",
						restored.source(), id, restored.version(), restored.documents(), restored.chunks(), seconds);
				return new RestoreResult(id, true, "version", null, restored.documents() + restored.chunks(),
						VersionRestorer.TABLES.size(), seconds, restored.version(), restored.source());
			}
			this.restorer.restore(manifest, key, scope == RestoreScope.ALL);
			double seconds = (System.nanoTime() - started) / 1e9;
			log.info("Restored backup {} (scope {}, {} rows) in {} s", id, scope, manifest.rows(), seconds);
			return new RestoreResult(id, true, scope.name().toLowerCase(java.util.Locale.ROOT),
					manifest.activeVersion(), manifest.rows(), manifest.files().size(), seconds, null, null);
		}
		catch (VersionRestorer.VersionNotInBackup ex) {
			throw new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "backup-version-not-found",
					"Version not in the backup", ex.getMessage() + "; nothing was restored");
		}
		catch (Restorer.RestoreFailed ex) {
			log.warn("Restore of backup {} failed, database left unchanged: {}", id, ex.getMessage());
			throw new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "restore-failed", "Restore failed",
					"restoring backup " + id + " failed, the database was left unchanged: " + ex.getMessage());
		}
		catch (java.sql.SQLException | IOException ex) {
			log.warn("Restore of backup {} failed, database left unchanged: {}", id, ex.toString());
			throw new BrainProblem(HttpStatus.SERVICE_UNAVAILABLE, "restore-failed", "Restore failed",
					"restoring backup " + id + " failed, the database was left unchanged ("
							+ ex.getClass().getSimpleName() + "); try again");
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Restores the backup into a scratch schema, checks it, records the time it took (the
	 * recovery time objective actually achieved) and drops the schema.
	 */
	public DrillResult drill(String id) {
		Backup backup = get(id);
		requireSucceeded(backup);
		SimpleLock lock = lock(DRILL_LOCK);
		try {
			return drillLocked(id);
		}
		finally {
			lock.unlock();
		}
	}

	private DrillResult drillLocked(String id) {
		long started = System.nanoTime();
		Verifier.Check check = this.verifier.check(id);
		if (check.unavailable()) {
			return new DrillResult(id, false, 0, check.problems(), null);
		}
		Manifest manifest = manifest(id);
		BackupCipher.Key key = this.verifier.key(manifest);
		List<String> problems = new java.util.ArrayList<>(check.problems());
		long[] loaded = { 0 };
		DrillEvaluation[] evaluation = { null };
		if (problems.isEmpty()) {
			try {
				problems.addAll(this.restorer.drill(manifest, key,
						"brain_drill_" + id.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_"), () -> {
							loaded[0] = System.nanoTime();
							if (manifest.activeVersion() == null) {
								return List.of();
							}
							try {
								evaluation[0] = this.drillEvaluator.evaluate(manifest.activeVersion());
								return List.of();
							}
							catch (IOException | RuntimeException ex) {
								log.warn("Drill of backup {}: the evaluation failed: {}", id, ex.toString());
								return List.of("the evaluation of version " + manifest.activeVersion()
										+ " against the scratch copy failed (" + ex.getClass().getSimpleName() + ")");
							}
						}));
			}
			catch (Restorer.RestoreFailed ex) {
				problems.add(ex.getMessage());
			}
			catch (java.sql.SQLException | IOException ex) {
				log.warn("Drill of backup {} failed: {}", id, ex.toString());
				problems.add("the scratch restore failed (" + ex.getClass().getSimpleName() + ")");
			}
		}
		double rto = (((loaded[0] != 0) ? loaded[0] : System.nanoTime()) - started) / 1e9;
		boolean ok = problems.isEmpty();
		this.store.drilled(id, ok, rto, this.clock.instant());
		log.info("Drill of backup {}: {} in {} s", id, ok ? "ok" : problems, rto);
		return new DrillResult(id, ok, rto, problems, evaluation[0]);
	}

	/** The scheduled drill: the newest successful backup, if any. */
	public Optional<DrillResult> drillLatest() {
		return this.store.list()
			.stream()
			.filter(Backup::succeeded)
			.findFirst()
			.map((backup) -> drillLocked(backup.id()));
	}

	/**
	 * Deletes the backups retention no longer keeps, objects first. Runs after the new
	 * backup was recorded; a failure here is logged and never fails the backup.
	 */
	List<String> applyRetention() {
		List<Backup> delete = Retention.toDelete(this.store.list(), this.clock.instant(),
				this.properties.retention().maxCount(), this.properties.retention().maxAge());
		for (Backup backup : delete) {
			try {
				this.archive.delete(backup.id());
				this.store.delete(backup.id());
				log.info("Retention deleted backup {} (started {})", backup.id(), backup.startedAt());
			}
			catch (IOException | RuntimeException ex) {
				log.warn("Retention could not delete backup {}: {}", backup.id(), ex.toString());
			}
		}
		return delete.stream().map(Backup::id).toList();
	}

	@Override
	public void destroy() {
		this.background.shutdownNow();
	}

	private void run(String id, Instant started) {
		long begun = System.nanoTime();
		Manifest manifest;
		try {
			manifest = this.writer.write(id, started);
			if (this.properties.verifyAfterBackup()) {
				Verifier.Check check = this.verifier.check(manifest);
				this.store.verified(id, check.ok(), this.clock.instant());
			}
			this.store.succeeded(manifest);
		}
		catch (Exception ex) {
			log.error("Backup {} failed: {}", id, ex.toString());
			this.metrics.failed();
			try {
				this.store.failed(id, this.clock.instant(), ex.getClass().getSimpleName());
			}
			catch (RuntimeException cleanup) {
				log.warn("Could not record the failure of backup {}: {}", id, cleanup.toString());
			}
			try {
				// no manifest was written, so nothing lists it; this frees the space
				this.archive.delete(id);
			}
			catch (IOException | RuntimeException cleanup) {
				log.warn("Could not delete the files of failed backup {}: {}", id, cleanup.toString());
			}
			return;
		}
		Duration took = Duration.ofNanos(System.nanoTime() - begun);
		this.metrics.succeeded(took);
		log.info("Backup {} written to {}: {} tables, {} rows, {} bytes in {} ms", id, this.archive.location(),
				manifest.files().size(), manifest.rows(), manifest.sizeBytes(), took.toMillis());
		try {
			applyRetention();
		}
		catch (RuntimeException ex) {
			log.warn("Retention after backup {} failed, nothing more deleted: {}", id, ex.toString());
		}
	}

	private SimpleLock lock(String name) {
		Instant now = this.clock.instant();
		return this.locks.lock(new LockConfiguration(now, name, this.properties.lockAtMostFor(), Duration.ZERO))
			.orElseThrow(() -> BrainProblem.conflict("backup-running",
					"a backup or restore is already running; try again when it has finished"));
	}

	private Manifest manifest(String id) {
		try {
			return this.archive.manifest(id)
				.orElseThrow(() -> BrainProblem.conflict("backup-unavailable", "backup " + id
						+ " is unavailable here: the backup store " + this.archive.location() + " does not hold it"));
		}
		catch (com.fasterxml.jackson.core.JacksonException ex) {
			throw new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "backup-invalid", "Backup failed verification",
					"the manifest of backup " + id + " is unreadable");
		}
		catch (IOException ex) {
			throw new BrainProblem(HttpStatus.SERVICE_UNAVAILABLE, "backup-store-unavailable",
					"Backup store unavailable", "the backup store " + this.archive.location() + " cannot be read ("
							+ ex.getClass().getSimpleName() + "); try again");
		}
	}

	private Optional<Backup> importFromStore(String id) {
		try {
			Optional<Manifest> manifest = this.archive.manifest(id);
			manifest.ifPresent((found) -> this.store.imported(id, found));
			return manifest.flatMap((found) -> this.store.find(id));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static void requireSucceeded(Backup backup) {
		if (!backup.succeeded()) {
			throw BrainProblem.conflict("backup-not-usable",
					"backup " + backup.id() + " is " + backup.state() + "; only a SUCCEEDED backup can be used");
		}
	}

	private static BrainProblem notFound(String id) {
		return BrainProblem.notFound("backup-not-found", "No backup " + (BackupArchive.validId(id) ? id : ""));
	}

	private static String newId(Instant at) {
		byte[] random = new byte[3];
		ThreadLocalRandom.current().nextBytes(random);
		return "b" + ID_TIME.format(at) + "-" + HexFormat.of().formatHex(random);
	}

}
