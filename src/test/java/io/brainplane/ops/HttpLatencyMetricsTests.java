package io.brainplane.ops;

import java.util.List;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

class HttpLatencyMetricsTests extends IntegrationTest {

	@Value("${local.management.port}")
	private int managementPort;

	@Test
	void everyRouteHasLatencyBucketsAtTheSloBoundariesOnly() {
		assertThat(readerApi().get("/brain/versions").status()).isEqualTo(200);
		String scrape = new Api("http://localhost:" + this.managementPort).get("/actuator/prometheus").raw();
		List<String> buckets = scrape.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_bucket{"))
			.filter((line) -> line.contains("uri=\"/brain/versions\"") && line.contains("status=\"200\""))
			.toList();
		assertThat(buckets).extracting((line) -> line.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
			.containsExactlyInAnyOrder("0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "+Inf");
		assertThat(buckets).filteredOn((line) -> line.contains("le=\"+Inf\""))
			.singleElement()
			.satisfies((line) -> assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.isGreaterThanOrEqualTo(1));
	}

}
