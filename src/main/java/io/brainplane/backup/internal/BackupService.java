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

import io.brainplane.platform.BrainProblem;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
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

	private static final Logger log = LoggerFactory.getLogger(BackupService.class);

	private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private final BackupStore store;

	private final BackupDirectory directory;

	private final SnapshotWriter writer;

	private final Verifier verifier;

	private final Restorer restorer;

	private final LockProvider locks;

	private final BackupMetrics metrics;

	private final BackupProperties properties;

	private final Clock clock;

	private final ExecutorService background = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "brain-backup");
		thread.setDaemon(true);
		return thread;
	});

	BackupService(BackupStore store, BackupDirectory directory, SnapshotWriter writer, Verifier verifier,
			Restorer restorer, LockProvider locks, BackupMetrics metrics, BackupProperties properties, Clock clock) {
		this.store = store;
		this.directory = directory;
		this.writer = writer;
		this.verifier = verifier;
		this.restorer = restorer;
		this.locks = locks;
		this.metrics = metrics;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Starts a backup in the background; 409 while another backup or a restore runs.
	 */
	public Backup start() {
		SimpleLock lock = lock();
		try {
			Instant started = this.clock.instant();
			String id = newId(started);
			this.store.abandon(started, started);
			this.store.started(id, "manual", started, null);
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
		this.store.started(id, "schedule", started, started.truncatedTo(ChronoUnit.SECONDS));
		run(id, started);
		return get(id);
	}

	public List<Backup> list() {
		return this.store.list();
	}

	/**
	 * The backup with that id; one found only on disk (taken on another database, or
	 * before the database was lost) is recorded on first sight.
	 */
	public Backup get(String id) {
		return this.store.find(id).or(() -> importFromDisk(id)).orElseThrow(() -> notFound(id));
	}

	public VerifyResult verify(String id) {
		Backup backup = get(id);
		requireSucceeded(backup);
		List<String> problems = this.verifier.problems(id);
		this.store.verified(id, problems.isEmpty(), this.clock.instant());
		return new VerifyResult(id, problems.isEmpty(), problems);
	}

	/**
	 * Replaces every brain table with the backup's rows, in one transaction, after
	 * verifying the backup.
	 */
	public RestoreResult restore(String id) {
		long started = System.nanoTime();
		Backup backup = get(id);
		requireSucceeded(backup);
		SimpleLock lock = lock();
		try {
			VerifyResult verification = verify(id);
			if (!verification.ok()) {
				BrainProblem problem = new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "backup-invalid",
						"Backup failed verification", "backup " + id + " failed verification; nothing was restored");
				problem.getBody().setProperty("problems", verification.problems());
				throw problem;
			}
			Manifest manifest = manifest(id);
			Optional<String> newer = this.restorer.newerSchema(manifest);
			if (newer.isPresent()) {
				throw BrainProblem.conflict("backup-schema-newer", newer.get());
			}
			this.restorer.restore(this.directory.of(id), manifest);
			double seconds = (System.nanoTime() - started) / 1e9;
			log.info("Restored backup {} ({} rows) in {} s", id, manifest.rows(), seconds);
			return new RestoreResult(id, true, manifest.activeVersion(), manifest.rows(), manifest.files().size(),
					seconds);
		}
		catch (Restorer.RestoreFailed ex) {
			log.warn("Restore of backup {} failed, database left unchanged: {}", id, ex.getMessage());
			throw new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "restore-failed", "Restore failed",
					"restoring backup " + id + " failed, the database was left unchanged: " + ex.getMessage());
		}
		catch (java.sql.SQLException | IOException ex) {
			log.warn("Restore of backup {} failed, database left unchanged: {}", id, ex.toString());
			throw new BrainProblem(HttpStatus.INTERNAL_SERVER_ERROR, "restore-failed", "Restore failed",
					"restoring backup " + id + " failed, the database was left unchanged");
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
		long started = System.nanoTime();
		List<String> problems = new java.util.ArrayList<>(this.verifier.problems(id));
		if (problems.isEmpty()) {
			try {
				problems.addAll(this.restorer.drill(this.directory.of(id), manifest(id),
						"brain_drill_" + id.toLowerCase().replaceAll("[^a-z0-9]", "_")));
			}
			catch (Restorer.RestoreFailed ex) {
				problems.add(ex.getMessage());
			}
			catch (java.sql.SQLException | IOException ex) {
				log.warn("Drill of backup {} failed: {}", id, ex.toString());
				problems.add("the scratch restore failed (" + ex.getClass().getSimpleName() + ")");
			}
		}
		double rto = (System.nanoTime() - started) / 1e9;
		boolean ok = problems.isEmpty();
		this.store.drilled(id, ok, rto, this.clock.instant());
		log.info("Drill of backup {}: {} in {} s", id, ok ? "ok" : problems, rto);
		return new DrillResult(id, ok, rto, problems);
	}

	/** The scheduled drill: the newest successful backup, if any. */
	public Optional<DrillResult> drillLatest() {
		return this.store.list().stream().filter(Backup::succeeded).findFirst().map((backup) -> drill(backup.id()));
	}

	/**
	 * Deletes the backups retention no longer keeps, files first; {@code current} is the
	 * backup just written, counted as a successful one.
	 */
	List<String> applyRetention(String current) {
		List<Backup> finished = this.store.list()
			.stream()
			.map((backup) -> backup.id().equals(current) ? backup.withState(Backup.SUCCEEDED) : backup)
			.filter((backup) -> !Backup.RUNNING.equals(backup.state()))
			.toList();
		List<Backup> delete = Retention.toDelete(finished, this.clock.instant(), this.properties.retention().maxCount(),
				this.properties.retention().maxAge());
		for (Backup backup : delete) {
			try {
				this.directory.delete(backup.id());
				this.store.delete(backup.id());
				log.info("Retention deleted backup {} (started {})", backup.id(), backup.startedAt());
			}
			catch (IOException ex) {
				log.warn("Could not delete backup {}: {}", backup.id(), ex.toString());
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
		try {
			Manifest manifest = this.writer.write(id, started);
			if (this.properties.verifyAfterBackup()) {
				this.store.verified(id, this.verifier.problems(id).isEmpty(), this.clock.instant());
			}
			// Retention before the state changes: whoever waits for SUCCEEDED finds the
			// run
			// over.
			applyRetention(id);
			this.store.succeeded(manifest);
			Duration took = Duration.ofNanos(System.nanoTime() - begun);
			this.metrics.succeeded(took);
			log.info("Backup {} written: {} tables, {} rows, {} bytes in {} ms", id, manifest.files().size(),
					manifest.rows(), manifest.sizeBytes(), took.toMillis());
		}
		catch (Exception ex) {
			log.error("Backup {} failed: {}", id, ex.toString());
			this.metrics.failed();
			String error = ex.getClass().getSimpleName();
			try {
				this.store.failed(id, this.clock.instant(), error);
				this.directory.delete(id);
			}
			catch (Exception cleanup) {
				log.warn("Could not record the failure of backup {}: {}", id, cleanup.toString());
			}
		}
	}

	private SimpleLock lock() {
		Instant now = this.clock.instant();
		return this.locks.lock(new LockConfiguration(now, LOCK, this.properties.lockAtMostFor(), Duration.ZERO))
			.orElseThrow(() -> BrainProblem.conflict("backup-running",
					"a backup or restore is already running; try again when it has finished"));
	}

	private Manifest manifest(String id) {
		try {
			return this.directory.manifest(id).orElseThrow(() -> notFound(id));
		}
		catch (IOException ex) {
			throw new BrainProblem(HttpStatus.UNPROCESSABLE_ENTITY, "backup-invalid", "Backup failed verification",
					"the manifest of backup " + id + " is unreadable");
		}
	}

	private Optional<Backup> importFromDisk(String id) {
		try {
			Optional<Manifest> manifest = this.directory.manifest(id);
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
		return BrainProblem.notFound("backup-not-found", "No backup " + (BackupDirectory.validId(id) ? id : ""));
	}

	private static String newId(Instant at) {
		byte[] random = new byte[3];
		ThreadLocalRandom.current().nextBytes(random);
		return "b" + ID_TIME.format(at) + "-" + HexFormat.of().formatHex(random);
	}

}
