package io.brainplane.quality;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes per-minute rollups ({@code brain_metrics}) older than their retention, in
 * bounded batches. Raw search records ({@code rag_hits}) are pruned by the rollup
 * schedule ({@code brain.hits.retention}). Called by the garbage collector.
 */
@Component
public class QualityRetention {

	private final JdbcClient jdbc;

	QualityRetention(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Deletes the rollups of minutes before the instant, {@code batch} rows a statement.
	 */
	public long pruneRollups(Instant before, int batch) {
		long deleted = 0;
		while (true) {
			int count = this.jdbc.sql("""
					delete from brain_metrics where (minute, version) in (
					    select minute, version from brain_metrics where minute < ? order by minute limit ?)
					""").params(Timestamp.from(before), batch).update();
			deleted += count;
			if (count < batch) {
				return deleted;
			}
		}
	}

}
