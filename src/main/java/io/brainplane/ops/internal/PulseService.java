package io.brainplane.ops.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs pulses: records the summary in {@code pulse_logs}, then posts it and records the
 * outcome. Scheduled pulses run on one replica only: each takes a PostgreSQL advisory
 * transaction lock and is skipped when a pulse of its kind was recorded within
 * {@code brain.pulse.dedupe-window}.
 */
@Service
public class PulseService {

	private static final Logger log = LoggerFactory.getLogger(PulseService.class);

	private final PulseLog pulses;

	private final PulseSummarizer summarizer;

	private final PulseWebhook webhook;

	private final PulseProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	PulseService(PulseLog pulses, PulseSummarizer summarizer, PulseWebhook webhook, PulseProperties properties,
			TransactionTemplate transactions, Clock clock) {
		this.pulses = pulses;
		this.summarizer = summarizer;
		this.webhook = webhook;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	/** Runs a pulse now, whatever ran before. */
	public Pulse manual() {
		Pulse recorded = this.transactions.execute((tx) -> record("manual"));
		return deliver(recorded);
	}

	/**
	 * Runs a scheduled pulse unless another replica holds the lock or already ran it.
	 * @return the pulse, empty when skipped
	 */
	public Optional<Pulse> scheduled(String kind) {
		Pulse recorded = this.transactions.execute((tx) -> {
			if (!this.pulses.tryLock()) {
				return null;
			}
			Instant recent = this.clock.instant().minus(this.properties.dedupeWindow());
			if (this.pulses.recordedSince(kind, recent)) {
				return null;
			}
			return record(kind);
		});
		if (recorded == null) {
			log.debug("{} pulse skipped: another replica runs or ran it", kind);
			return Optional.empty();
		}
		return Optional.of(deliver(recorded));
	}

	public List<Pulse> recent(int limit) {
		return this.pulses.recent(limit);
	}

	private Pulse record(String kind) {
		Instant previous = this.pulses.lastAt().orElse(null);
		// PostgreSQL keeps microseconds: the pulse read back must equal the one returned
		Instant at = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		return this.pulses.insert(kind, at, this.summarizer.summarize(kind, previous));
	}

	private Pulse deliver(Pulse pulse) {
		PulseDelivery delivery = this.webhook.post(pulse.summary().text());
		this.pulses.delivered(pulse.id(), delivery);
		if (!delivery.delivered()) {
			log.warn("{} pulse {} not delivered: {}", pulse.kind(), pulse.id(), delivery.error());
		}
		return pulse.withDelivery(delivery);
	}

}
