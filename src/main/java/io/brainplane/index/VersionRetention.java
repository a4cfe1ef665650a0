package io.brainplane.index;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.brainplane.index.internal.VersionStore;
import io.brainplane.platform.BrainProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Applies {@code brain.index.keep-versions}: deletes, through
 * {@link VersionService#delete(long)}, the sealed versions beyond the newest
 * {@code count} or unused for longer than {@code max-age}, and the {@code BUILDING}
 * versions abandoned for longer than {@code building-max-age}. Never the active version,
 * the version a rollback goes back to, or a build whose ingestion is still queued or
 * running. Called by the garbage collector, never on a request.
 */
@Service
public class VersionRetention {

	private static final Logger log = LoggerFactory.getLogger(VersionRetention.class);

	private final VersionStore store;

	private final VersionService versions;

	private final VersionWork work;

	private final IndexProperties properties;

	VersionRetention(VersionStore store, VersionService versions, VersionWork work, IndexProperties properties) {
		this.store = store;
		this.versions = versions;
		this.work = work;
		this.properties = properties;
	}

	/**
	 * Deletes at most {@code limit} versions the policy no longer keeps.
	 * @param now the current time (the injected clock's)
	 * @return the deleted versions
	 */
	public List<Long> prune(Instant now, int limit) {
		IndexProperties.KeepVersions keep = this.properties.keepVersions();
		Optional<Long> active = this.store.activeVersion();
		Optional<Long> rollbackTarget = active.flatMap(this.store::rollbackTarget);
		List<Long> candidates = new ArrayList<>();
		List<VersionStore.Aged> sealed = this.store.sealedNewestFirst();
		Duration maxAge = keep.maxAge();
		for (int i = 0; i < sealed.size(); i++) {
			VersionStore.Aged version = sealed.get(i);
			boolean beyondCount = keep.count() > 0 && i >= keep.count();
			boolean tooOld = maxAge != null && !maxAge.isZero() && version.used() != null
					&& version.used().isBefore(now.minus(maxAge));
			if ((beyondCount || tooOld) && !active.equals(Optional.of(version.version()))
					&& !rollbackTarget.equals(Optional.of(version.version()))) {
				candidates.add(version.version());
			}
		}
		for (long version : this.store.unsealedCreatedBefore(now.minus(keep.buildingMaxAge()))) {
			if (!this.work.progress(version).pending()) {
				candidates.add(version);
			}
		}
		List<Long> deleted = new ArrayList<>();
		for (long version : candidates) {
			if (deleted.size() >= limit) {
				break;
			}
			try {
				this.versions.delete(version);
				deleted.add(version);
			}
			catch (VersionNotFound ex) {
				// deleted meanwhile
			}
			catch (BrainProblem ex) {
				// activated meanwhile, or became the rollback target: kept
				log.info("Version {} kept: {}", version, ex.getBody().getDetail());
			}
		}
		return deleted;
	}

}
