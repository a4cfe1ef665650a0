package io.brainplane.quality.internal;

import io.brainplane.platform.BatchingWriter;
import io.brainplane.search.HitProperties;
import io.brainplane.search.SearchCompleted;
import io.brainplane.search.SearchRecorder;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Records every answered search without slowing it: the listener only offers the record
 * to the platform's {@link BatchingWriter} (bounded queue, batches into {@code rag_hits}
 * behind the {@code hitWriter} circuit breaker). While the database is away the batch in
 * hand is kept and retried with growing pauses and the writer catches up when it returns;
 * a record the database refuses (say, text PostgreSQL cannot hold) is isolated by
 * splitting the batch, dropped and counted, and the rest written. Stopping drains the
 * queue.
 */
@Component
public class HitRecorder implements SearchRecorder {

	private final BatchingWriter<HitRecord> writer;

	private final boolean enabled;

	private final VerdictCounters verdicts;

	HitRecorder(BatchingWriter<HitRecord> writer, HitProperties properties, VerdictCounters verdicts) {
		this.enabled = properties.enabled();
		this.verdicts = verdicts;
		this.writer = writer;
	}

	/** The writer, a bean so that the context starts and stops (drains) it. */
	@Bean
	static BatchingWriter<HitRecord> hitWriter(HitStore store, HitProperties properties,
			CircuitBreakerRegistry breakers, MeterRegistry registry) {
		return new BatchingWriter<>(new BatchingWriter.Settings("search records", "brain.hits",
				properties.queueCapacity(), properties.batchSize()), store::insert,
				breakers.circuitBreaker("hitWriter"), registry);
	}

	@Override
	public void record(SearchCompleted search) {
		if (!this.enabled) {
			return;
		}
		this.writer.offer(new HitRecord(search.queryId(), search.at(), search.version(), search.client(),
				search.query(), search.k(), search.group().value(), search.resultCount(), search.topScore(),
				search.relevance(), search.hit(), search.tookMs(), search.mode()));
		this.verdicts.automatic(search.version(), search.hit());
	}

	/**
	 * If the search is still waiting to be written, writes everything waiting now.
	 * @return whether the search was waiting
	 */
	boolean flushIfWaiting(String queryId) {
		return this.writer.flushIfWaiting((record) -> record.queryId().equals(queryId));
	}

	public int depth() {
		return this.writer.depth();
	}

}
