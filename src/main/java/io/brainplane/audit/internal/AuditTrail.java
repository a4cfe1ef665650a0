package io.brainplane.audit.internal;

import java.time.Clock;
import java.util.UUID;

import io.brainplane.audit.AuditProperties;
import io.brainplane.platform.AuditEvent;
import io.brainplane.platform.BatchingWriter;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Takes audit entries (from the HTTP filter and from {@link AuditEvent}s) and hands them
 * to the platform's {@link BatchingWriter}, behind the {@code auditWriter} circuit
 * breaker: recording only queues, so it can neither fail nor slow the action; a full
 * queue drops and counts ({@code brain_audit_dropped_total}).
 */
@Component
class AuditTrail {

	private final BatchingWriter<AuditEntry> writer;

	private final boolean enabled;

	private final Clock clock;

	AuditTrail(BatchingWriter<AuditEntry> writer, AuditProperties properties, Clock clock) {
		this.enabled = properties.enabled();
		this.clock = clock;
		this.writer = writer;
	}

	/** The writer, a bean so that the context starts and stops (drains) it. */
	@Bean
	static BatchingWriter<AuditEntry> auditWriter(AuditStore store, AuditProperties properties,
			CircuitBreakerRegistry breakers, MeterRegistry registry) {
		return new BatchingWriter<>(new BatchingWriter.Settings("audit entries", "brain.audit",
				properties.queueCapacity(), properties.batchSize()), store::insert,
				breakers.circuitBreaker("auditWriter"), registry);
	}

	/** Records a call. */
	void record(String actor, String action, @Nullable String target, int status, @Nullable String requestId,
			@Nullable String client) {
		if (this.enabled) {
			this.writer.offer(new AuditEntry(UUID.randomUUID(), this.clock.instant(), actor, action, target,
					AuditEntry.outcome(status), status, requestId, client, null));
		}
	}

	@EventListener
	void onAuditEvent(AuditEvent event) {
		if (this.enabled) {
			this.writer.offer(new AuditEntry(UUID.randomUUID(), this.clock.instant(), event.actor(), event.action(),
					event.target(), event.outcome(), null, null, null, event.detail()));
		}
	}

	/** Writes everything waiting now (tests and shutdown). */
	void flush() {
		this.writer.flushIfWaiting((entry) -> true);
	}

}
