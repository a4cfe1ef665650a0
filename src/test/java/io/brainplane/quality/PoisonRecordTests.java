package io.brainplane.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.brainplane.search.SearchCompleted;
import io.brainplane.search.SearchRecorder;
import io.brainplane.support.Hits;
import io.brainplane.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import io.brainplane.quality.internal.HitRecorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record the database refuses never stops the hit writer: the batch is split until the
 * refused record stands alone, which is dropped and counted; everything else is written.
 * The records are handed to the search recorder directly, past the HTTP input checks, as
 * a future bug in those checks would let them through.
 */
class PoisonRecordTests extends IntegrationTest {

	@Autowired
	SearchRecorder searches;

	@Autowired
	MeterRegistry registry;

	@Autowired
	HitRecorder recorder;

	@Test
	void aPoisonRecordIsDroppedAndCountedAndTheRestOfItsBatchAndLaterOnesAreWritten() {
		double rejectedBefore = rejected();
		List<String> good = new ArrayList<>();
		List<String> poison = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			boolean bad = i == 7 || i == 31;
			String id = search(bad ? "kiwi\u0000bird" : "kiwi " + i, bad ? "client" : "client\u0000".substring(0, 6));
			(bad ? poison : good).add(id);
		}
		String badClient = search("fine query", "evil\u0000client");
		poison.add(badClient);
		await().atMost(Duration.ofSeconds(20)).until(() -> recorded(good) == good.size());
		assertThat(recorded(poison)).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> rejected() - rejectedBefore == poison.size());
		String later = search("after the poison", "client");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorded(List.of(later)) == 1);
		assertThat(this.recorder.depth()).isZero();
		assertThat(rejected() - rejectedBefore).isEqualTo(poison.size());
	}

	private String search(String query, String client) {
		String id = UUID.randomUUID().toString();
		this.searches.record(new SearchCompleted(id, 1, query, 10, io.brainplane.search.SearchGroup.CHUNK, 1, 1.0f,
				true, 1.0, client, Instant.now(), 0.5f, "lexical"));
		return id;
	}

	private double rejected() {
		return this.registry.get("brain.hits.dropped").tag("reason", "rejected").counter().count();
	}

	private long recorded(List<String> queryIds) {
		return Hits.recorded(this.jdbc, queryIds);
	}

}
