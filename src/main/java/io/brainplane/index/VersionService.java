package io.brainplane.index;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

import io.brainplane.embed.EmbeddingProvider;
import io.brainplane.index.internal.VersionStore;
import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.FaultPoint;
import io.brainplane.platform.StepTimings;
import io.brainplane.platform.TextRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, lists and seals index versions.
 */
@Service
public class VersionService {

	private static final Logger log = LoggerFactory.getLogger(VersionService.class);

	/** Told (after commit) of each deleted version: this replica's sync, at once. */
	private final List<LongConsumer> deleted = new CopyOnWriteArrayList<>();

	/**
	 * Told (after commit, before the seal answers) of each version sealed here: this
	 * replica's sync, so it keeps the new version before the seal's checks let it go.
	 */
	private final List<LongConsumer> sealed = new CopyOnWriteArrayList<>();

	private final VersionStore store;

	private final List<SealCheck> checks;

	private final VersionWork work;

	private final ObjectProvider<EmbeddingProvider> embeddings;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	VersionService(VersionStore store, List<SealCheck> checks, VersionWork work,
			ObjectProvider<EmbeddingProvider> embeddings, ApplicationEventPublisher events,
			TransactionTemplate transactions) {
		this.store = store;
		this.checks = checks;
		this.work = work;
		this.embeddings = embeddings;
		this.events = events;
		this.transactions = transactions;
	}

	/**
	 * Stores the latest evaluation of a version (a JSON object the quality module writes;
	 * shown with the version).
	 */
	public void recordEvaluation(long version, String evaluationJson) {
		this.store.recordEvaluation(version, evaluationJson);
	}

	/** The latest evaluation of a version, as stored by {@link #recordEvaluation}. */
	public Optional<String> evaluation(long version) {
		return this.store.evaluation(version);
	}

	/**
	 * Creates a {@code BUILDING} version holding the base's documents.
	 * @param base {@code "active"}, {@code "none"}, a version number, or {@code null} for
	 * the active version when there is one
	 */
	@Transactional
	public IndexVersion create(String label, String base) {
		if (label != null && label.length() > 200) {
			throw BrainProblem.invalid("label", "must be at most 200 characters");
		}
		// Webhook deliveries name versions too, without passing the HTTP body checks.
		TextRules.require("label", label);
		Long parent = resolveBase(base);
		EmbeddingProvider provider = this.embeddings.getIfAvailable();
		String model = (provider != null) ? provider.model() : null;
		long version = this.store.create(label, parent, model);
		String parentModel = (parent != null) ? get(parent).embeddingModel() : null;
		this.events.publishEvent(new VersionCreated(version, parent, model, parentModel));
		return get(version);
	}

	private Long resolveBase(String base) {
		if (base == null || base.isBlank()) {
			return this.store.activeVersion().orElse(null);
		}
		if (base.equals("none")) {
			return null;
		}
		if (base.equals("active")) {
			return this.store.activeVersion()
				.orElseThrow(() -> BrainProblem.conflict("no-active-version",
						"base \"active\" was asked for but no version is active yet; use \"none\""));
		}
		long number;
		try {
			number = Long.parseLong(base.trim());
		}
		catch (NumberFormatException ex) {
			throw BrainProblem.invalid("base", "must be \"active\", \"none\" or a version number");
		}
		IndexVersion parent = get(number);
		if (!parent.state().sealed()) {
			throw BrainProblem.conflict("base-not-sealed",
					"version " + number + " is " + parent.state() + "; only a sealed version can be a base");
		}
		return number;
	}

	public void onDeleted(LongConsumer listener) {
		this.deleted.add(listener);
	}

	public void onSealed(LongConsumer listener) {
		this.sealed.add(listener);
	}

	/**
	 * Records that this replica rebuilt the version's local index in full, so that every
	 * other replica replaces its copy too: their sync hears {@code brain_rebuilt} (or
	 * sees the count at its next poll) and hands the version to
	 * {@link ReplicaIndex#rebuilt(VersionRef, long)}.
	 * @return the version's rebuild count, which replicas compare with their own
	 * @throws VersionNotFound (404) when the version is gone
	 */
	public long rebuilt(long version) {
		long generation = this.store.markRebuilt(version).orElseThrow(() -> new VersionNotFound(version));
		log.info("Version {} rebuilt (rebuild {}); every replica follows", version, generation);
		return generation;
	}

	public IndexVersion get(long version) {
		return withProgress(this.store.find(version).orElseThrow(() -> new VersionNotFound(version)));
	}

	private IndexVersion withProgress(IndexVersion version) {
		return version.withProgress(
				(version.state() == VersionState.BUILDING) ? this.work.progress(version.version()) : IngestProgress
					.complete(version.documentCount(), version.chunkCount(), version.embeddingModel() != null));
	}

	/**
	 * Newest first; {@code next} is the {@code before} value of the following page.
	 */
	public VersionPage list(int limit, Long before) {
		if (limit < 1 || limit > 1000) {
			throw BrainProblem.invalid("limit", "must be between 1 and 1000");
		}
		List<IndexVersion> page = this.store.page(limit + 1, before).stream().map(this::withProgress).toList();
		Long next = null;
		if (page.size() > limit) {
			page = page.subList(0, limit);
			next = page.get(limit - 1).version();
		}
		return new VersionPage(List.copyOf(page), next);
	}

	/**
	 * Waits (a bounded time, outside any transaction) for the version's ingestion jobs,
	 * then runs the version checks and moves the version to {@code READY}. Jobs still
	 * running: 409 with the progress. A failing check: the version stays {@code BUILDING}
	 * and the failures are reported (422).
	 */
	public IndexVersion seal(long version) {
		StepTimings timings = new StepTimings();
		// Every reference prepared or checked, released only once this replica's sync has
		// seen the outcome: in between, a reconcile that read the version list before the
		// commit must not drop the local index the seal built.
		Set<VersionRef> held = new LinkedHashSet<>();
		// the contents the local index was prepared for, with the version's change count
		Contents[] prepared = { null };
		try {
			// the row only: a building version's progress counts every chunk and vector
			VersionState state = timings.time("state",
					() -> this.store.find(version).orElseThrow(() -> new VersionNotFound(version)).state());
			if (state == VersionState.BUILDING) {
				if (!timings.time("wait", () -> this.work.awaitIdle(version))) {
					throw stillIngesting(version, this.work.progress(version));
				}
				// the change count first: a change committed while the contents are read
				// moves it, so the locked check below cannot take stale contents for
				// current
				Contents contents = timings.time("contents",
						() -> new Contents(changes(version), this.store.contents(version)));
				// Only a fully ingested version: the local index is named by membership,
				// so one built while vectors were missing would be taken for the finished
				// one.
				if (contents.summary().documents() > 0
						&& timings.time("jobs", () -> this.work.jobState(version)) == IngestState.DONE) {
					VersionRef ref = new VersionRef(version, contents.summary().checksum());
					held.add(ref);
					prepared[0] = contents;
					this.checks.forEach((check) -> check.prepare(ref, timings));
				}
			}
			long[] lockedEnd = { 0 };
			IndexVersion result = this.transactions.execute((status) -> {
				IndexVersion sealed = sealLocked(version, prepared[0], held, timings);
				lockedEnd[0] = System.nanoTime();
				return sealed;
			});
			timings.add("commit", System.nanoTime() - lockedEnd[0]);
			timings.time("replica", () -> this.sealed.forEach((listener) -> listener.accept(version)));
			log.info("Sealed version {} in {} ms ({})", version, timings.totalMillis(), timings);
			return result;
		}
		finally {
			held.forEach((ref) -> this.checks.forEach((check) -> check.release(ref)));
		}
	}

	private IndexVersion sealLocked(long version, Contents prepared, Set<VersionRef> held, StepTimings timings) {
		timings.time("lock", () -> lockBuilding(version));
		if (timings.time("jobs (locked)", () -> this.work.jobState(version)).pending()) {
			// documents arrived while the seal was waiting
			throw stillIngesting(version, this.work.progress(version));
		}
		// Every change of the version's documents holds this lock and counts itself
		// (requireBuilding): an unchanged count means the contents read before the build
		// are still the version's, without reading every document again. A change
		// meanwhile (a delete queues no job, so the job test above misses it) means new
		// contents, a new checksum, and the checks below build the index for those.
		VersionContents.Summary contents = timings.time("contents (locked)",
				() -> (prepared != null && prepared.changes() == changes(version)) ? prepared.summary()
						: this.store.contents(version));
		List<String> failures = new ArrayList<>();
		if (contents.documents() == 0) {
			failures.add("the version has no documents");
		}
		else {
			VersionRef ref = new VersionRef(version, contents.checksum());
			held.add(ref);
			for (SealCheck check : this.checks) {
				failures.addAll(check.check(ref, timings));
				if (!failures.isEmpty()) {
					break;
				}
			}
		}
		if (!failures.isEmpty()) {
			throw new SealFailed(version, failures);
		}
		timings.time("mark", () -> this.store.markSealed(version, contents));
		FaultPoint.reach("seal.before-commit");
		return get(version);
	}

	/**
	 * Deletes a version for good: a {@code BUILDING} one (an abandoned build, a failed
	 * delivery), or a sealed one that is neither active nor the version a rollback would
	 * go back to. Its membership and ingestion jobs go with it (its documents stay for
	 * the versions sharing them), and every replica drops its local index
	 * ({@code brain_deleted}, and the next poll at the latest). The pointer row is locked
	 * meanwhile, so no activation can pick the version while it goes.
	 * @throws VersionNotFound (404) when there is no such version
	 * @throws BrainProblem 409 {@code version-active} or
	 * {@code version-is-rollback-target}
	 */
	public void delete(long version) {
		this.transactions.executeWithoutResult((status) -> {
			Optional<Long> active = this.store.activeVersionForUpdate();
			VersionState state = this.store.lock(version).orElseThrow(() -> new VersionNotFound(version));
			if (active.isPresent() && active.get() == version) {
				throw BrainProblem.conflict("version-active",
						"version " + version + " is active; activate or roll back to another version first");
			}
			if (state.sealed() && active.isPresent()
					&& this.store.rollbackTarget(active.get()).map((target) -> target == version).orElse(false)) {
				throw BrainProblem.conflict("version-is-rollback-target", "version " + version
						+ " is the version POST /brain/rollback goes back to from active version " + active.get());
			}
			this.store.delete(version);
		});
		log.info("Deleted version {}", version);
		this.deleted.forEach((listener) -> listener.accept(version));
	}

	/**
	 * Every version's number and its checksum ({@code null} while it is not sealed): what
	 * derived copies (local indexes, the segment store) may keep.
	 */
	public java.util.Map<Long, String> checksums() {
		return this.store.checksums();
	}

	/**
	 * Locks a version for a change of its documents, and counts the change; must run
	 * inside the caller's transaction, which then holds the lock until it ends.
	 * @return the version's base (the sealed version it was created from), or null
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Long requireBuilding(long version) {
		VersionStore.Locked locked = this.store.lockForChange(version).orElseThrow(() -> new VersionNotFound(version));
		requireBuilding(version, locked.state());
		return locked.parent();
	}

	/**
	 * Locks a building version without counting a change: a change counts itself (see
	 * {@link #requireBuilding(long)}), which is what tells a seal that the contents it
	 * read before its build are no longer the version's.
	 */
	private void lockBuilding(long version) {
		requireBuilding(version, this.store.lock(version).orElseThrow(() -> new VersionNotFound(version)));
	}

	private static void requireBuilding(long version, VersionState state) {
		if (state != VersionState.BUILDING) {
			throw BrainProblem.conflict("version-not-building",
					"version " + version + " is " + state + "; only a BUILDING version can change");
		}
	}

	private long changes(long version) {
		return this.store.changes(version).orElseThrow(() -> new VersionNotFound(version));
	}

	private static BrainProblem stillIngesting(long version, IngestProgress progress) {
		BrainProblem problem = BrainProblem.conflict("ingestion-in-progress",
				"version " + version + " is still being ingested (" + Math.round(progress.percent()) + " % of "
						+ progress.documents() + " documents done"
						+ ((progress.etaSeconds() != null) ? ", about " + progress.etaSeconds() + " s to go" : "")
						+ "); seal again when GET /brain/versions/" + version + " shows progress.state DONE");
		problem.getBody().setProperty("progress", progress);
		return problem;
	}

	/**
	 * A version's contents and its change count when they were read.
	 */
	private record Contents(long changes, VersionContents.Summary summary) {
	}

	/**
	 * One page of versions.
	 */
	public record VersionPage(List<IndexVersion> versions, Long next) {
	}

	static final class SealFailed extends BrainProblem {

		SealFailed(long version, List<String> failures) {
			super(HttpStatus.UNPROCESSABLE_ENTITY, "seal-failed", "Version checks failed",
					"version " + version + " cannot be sealed: " + String.join("; ", failures));
			getBody().setProperty("failures", List.copyOf(failures));
		}

	}

}
