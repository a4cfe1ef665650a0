package io.brainplane.ops;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code http_server_requests_seconds_bucket} per route in {@code /actuator/prometheus},
 * with the few configured SLO bounds only (bounded cardinality), so Grafana can show p95
 * per route.
 */
class HttpLatencyHistogramTests extends IntegrationTest {

	/** A bucket line of the search route; labels in any order. */
	private static final Pattern SEARCH_BUCKET = Pattern
		.compile("(?m)^http_server_requests_seconds_bucket\\{(?=[^}]*uri=\"/brain/search\")[^}]*\\}.*$");

	private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

	@Value("${local.management.port}")
	private int managementPort;

	@Test
	void everyRouteHasALatencyHistogramWithTheSloBoundsOnly() {
		Api.Response search = readerApi().get("/brain/search?q=histogram");
		assertThat(search.status()).as(search.toString()).isIn(200, 503);
		Api management = new Api("http://localhost:" + this.managementPort);
		// The request is timed once its response is complete: scrape until it shows.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			String raw = management.get("/actuator/prometheus").raw();
			assertThat(SEARCH_BUCKET.matcher(raw).find())
				.as(() -> raw.lines().filter((line) -> line.contains("http_server_requests")).toList().toString())
				.isTrue();
		});
		String scrape = management.get("/actuator/prometheus").raw();
		Set<String> bounds = new TreeSet<>();
		Matcher matcher = SEARCH_BUCKET.matcher(scrape);
		while (matcher.find()) {
			Matcher le = LE.matcher(matcher.group());
			assertThat(le.find()).as(matcher.group()).isTrue();
			bounds.add(le.group(1));
		}
		assertThat(bounds).containsExactlyInAnyOrder("0.01", "0.05", "0.1", "0.25", "0.8", "2.0", "+Inf");
		assertThat(scrape).contains("# TYPE http_server_requests_seconds histogram");
	}

	/**
	 * A request is observed once (above), by a timer only: Spring Security's per-filter
	 * events, chain and authorization timers are off, as they cost the search path a
	 * counter lookup per filter, and so is the long task timer of in-flight requests (two
	 * more meter lookups per request).
	 */
	@Test
	void securityFiltersAddNoObservationsOfTheirOwn() {
		assertThat(readerApi().get("/brain/search?q=observed").status()).isIn(200, 503);
		assertThat(anonymousApi().get("/brain/search?q=observed").status()).isEqualTo(401);
		Api management = new Api("http://localhost:" + this.managementPort);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(SEARCH_BUCKET.matcher(management.get("/actuator/prometheus").raw()).find())
				.isTrue());
		assertThat(management.get("/actuator/prometheus").raw().lines().filter((line) -> !line.startsWith("#")))
			.noneMatch((line) -> line.startsWith("spring_security_"))
			.noneMatch((line) -> line.startsWith("http_server_requests_active"));
	}

}
