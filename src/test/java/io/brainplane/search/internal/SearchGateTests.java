package io.brainplane.search.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.brainplane.support.IntegrationTest;
import io.brainplane.support.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code brain.search.concurrency}: searches beyond the slots wait their turn; nothing
 * else does; a query embedding runs outside the slots.
 */
class SearchGateTests extends IntegrationTest {

	@Autowired
	private SearchGate gate;

	@Autowired
	private MeterRegistry registry;

	@Test
	void theDefaultIsFourTimesTheProcessorsAndShowsAsAGauge() {
		assertThat(SearchGate.size(0, 2)).isEqualTo(8);
		assertThat(SearchGate.size(0, 1)).isEqualTo(4);
		assertThat(SearchGate.size(3, 2)).isEqualTo(3);
		assertThat(this.gate.size()).isEqualTo(4 * Runtime.getRuntime().availableProcessors());
		assertThat(this.registry.get("brain.search.concurrency").gauge().value()).isEqualTo(this.gate.size());
		assertThat(this.registry.get("brain.search.waiting").gauge().value()).isZero();
	}

	@Test
	void aSearchBeyondTheSlotsWaitsForOneWhileOtherRequestsDoNot() throws Exception {
		otterVersion();
		for (int i = 0; i < this.gate.size(); i++) {
			this.gate.enter();
		}
		CompletableFuture<HttpResponse<String>> search;
		try {
			search = send("/brain/search?q=otters&mode=lexical");
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.gate.waiting() == 1);
			assertThat(this.registry.get("brain.search.waiting").gauge().value()).isEqualTo(1);
			// everything but searches passes
			assertThat(send("/brain/versions").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(search).isNotDone();
		}
		finally {
			for (int i = 0; i < this.gate.size(); i++) {
				this.gate.leave();
			}
		}
		HttpResponse<String> answered = search.get(30, TimeUnit.SECONDS);
		assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
		assertThat(answered.body()).contains("Otters");
		assertThat(this.gate.waiting()).isZero();
	}

	@Test
	void workOutsideTheGateFreesTheSlotMeanwhile() throws Exception {
		SearchGate one = new SearchGate(1);
		one.enter();
		CountDownLatch entered = new CountDownLatch(1);
		String result = one.outside(() -> {
			Thread other = new Thread(() -> {
				one.enter();
				entered.countDown();
				one.leave();
			});
			other.start();
			try {
				return entered.await(30, TimeUnit.SECONDS) ? "freed" : "held";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "interrupted";
			}
		});
		assertThat(result).isEqualTo("freed");
		// the slot is this thread's again: nobody else gets in
		Thread late = new Thread(() -> {
			one.enter();
			one.leave();
		});
		late.start();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> one.waiting() == 1);
		one.leave();
		late.join(30_000);
		assertThat(late.isAlive()).isFalse();
		// without a slot, outside() just runs the work
		assertThat(new SearchGate(1).outside(() -> "ran")).isEqualTo("ran");
	}

	private CompletableFuture<HttpResponse<String>> send(String path) {
		return HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.header("Authorization", "Bearer " + TestKeys.OPERATOR)
				.timeout(Duration.ofSeconds(60))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
