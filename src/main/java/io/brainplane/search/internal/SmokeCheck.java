package io.brainplane.search.internal;

import java.io.IOException;
import java.util.List;

import io.brainplane.index.SealCheck;
import io.brainplane.index.VersionRef;
import io.brainplane.platform.StepTimings;
import org.apache.lucene.search.Query;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Seal check: the version's local index builds, a query made from its own first chunk
 * finds something, and every chunk has a vector when the version has a model.
 */
@Component
@Order(20)
public class SmokeCheck implements SealCheck {

	private final LocalIndexes indexes;

	private final QueryFactory queries;

	SmokeCheck(LocalIndexes indexes, SearchProperties properties) {
		this.indexes = indexes;
		this.queries = new QueryFactory(properties.maxQueryTerms());
	}

	/**
	 * Builds the local index before the seal's transaction: on a large version with
	 * vectors that takes minutes, during which no lock should be held. The version is
	 * pinned (kept open and on disk whatever a reconcile decides: it is not sealed yet)
	 * until the seal {@link #release releases} it.
	 */
	@Override
	public void prepare(VersionRef version) {
		prepare(version, new StepTimings());
	}

	@Override
	public void prepare(VersionRef version, StepTimings timings) {
		this.indexes.pin(version);
		try {
			timings.time("build", () -> this.indexes.open(version));
			// The seal answers once the version is in the segment store too.
			long started = System.nanoTime();
			try {
				this.indexes.publish(version);
			}
			finally {
				timings.add("publish", System.nanoTime() - started);
			}
		}
		catch (IOException | RuntimeException ex) {
			// reported by check()
		}
	}

	@Override
	public String name() {
		return "smoke-check";
	}

	@Override
	public List<String> check(VersionRef version) {
		this.indexes.pin(version);
		return checkPinned(version);
	}

	@Override
	public void release(VersionRef version) {
		this.indexes.unpin(version);
	}

	private List<String> checkPinned(VersionRef version) {
		VersionIndex index;
		try {
			index = this.indexes.acquire(version);
		}
		catch (RuntimeException ex) {
			return List.of("the local index could not be built: " + ex.getMessage());
		}
		try {
			if (index.chunkCount() == 0) {
				return List.of("the local index holds no chunks");
			}
			String sample = index.reader().storedFields().document(index.firstLiveDoc()).get(IndexFields.TEXT);
			Query query = this.queries.create(sample.substring(0, Math.min(200, sample.length())));
			if (query != null && index.search(query, 1, false).isEmpty()) {
				return List.of("the smoke query found nothing in the local index");
			}
			int vectors = (index.model() != null) ? index.vectorCount() : 0;
			if (index.model() != null && vectors != index.chunkCount()) {
				return List.of("the local index has vectors for " + vectors + " of " + index.chunkCount() + " chunks");
			}
			if (!this.indexes.publishedOrNoStore(version)) {
				return List.of("the local index could not be published to the segment store "
						+ this.indexes.storeLocation() + " (see the replica's log)");
			}
			return List.of();
		}
		catch (IOException ex) {
			return List.of("the local index cannot be read: " + ex.getMessage());
		}
		finally {
			index.release();
		}
	}

}
