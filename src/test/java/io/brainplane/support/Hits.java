package io.brainplane.support;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.awaitility.Awaitility.await;

/**
 * The search records ({@code rag_hits}) as tests look at them: written in the background
 * by the hit writer, so tests wait for their rows; and the per-version figures of
 * {@code /brain/metrics}.
 */
public final class Hits {

	private Hits() {
	}

	/** How many of the searches (by query id) have their row. */
	public static long recorded(JdbcClient jdbc, List<String> queryIds) {
		return jdbc.sql("select count(*) from rag_hits where query_id = any(?::uuid[])")
			.param(queryIds.toArray(String[]::new))
			.query(Long.class)
			.single();
	}

	/** Waits until every one of the searches (by query id) has its row. */
	public static void awaitRecorded(JdbcClient jdbc, String... queryIds) {
		await().atMost(Duration.ofSeconds(10)).until(() -> recorded(jdbc, List.of(queryIds)) == queryIds.length);
	}

	/** The figures of one version in a {@code /brain/metrics} answer. */
	public static JsonNode versionFigures(JsonNode metrics, long version) {
		for (JsonNode figures : metrics.get("byVersion")) {
			if (figures.get("version").asLong() == version) {
				return figures;
			}
		}
		throw new AssertionError("no figures for version " + version + " in " + metrics);
	}

}
