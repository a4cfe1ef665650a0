package io.brainplane.quality.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.brainplane.index.ActivationService;
import io.brainplane.platform.BackupHistory;
import io.brainplane.platform.BrainProblem;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * {@code GET /brain/metrics}: figures over the last hour or day, added up from the
 * per-minute rollups (brought up to date first) by {@link RollupFigures}, the same way as
 * every other quality figure. A window holds whole minutes, from the one containing its
 * start.
 */
@Service
public class MetricsService {

	private static final Map<String, Duration> WINDOWS = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24));

	/**
	 * Width of one point of {@link MetricsWindow#series()}: 60 points an hour, 96 a day.
	 */
	private static final Map<String, Duration> STEPS = Map.of("1h", Duration.ofMinutes(1), "24h",
			Duration.ofMinutes(15));

	private final RollupFigures figures;

	private final MetricsRollup rollup;

	private final ActivationService activations;

	private final ObjectProvider<BackupHistory> backups;

	private final Clock clock;

	MetricsService(RollupFigures figures, MetricsRollup rollup, ActivationService activations,
			ObjectProvider<BackupHistory> backups, Clock clock) {
		this.figures = figures;
		this.rollup = rollup;
		this.activations = activations;
		this.backups = backups;
		this.clock = clock;
	}

	public MetricsWindow window(String window) {
		Duration length = WINDOWS.get(window);
		if (length == null) {
			throw BrainProblem.invalid("window", "must be 1h or 24h");
		}
		this.rollup.catchUp();
		Instant from = RollupFigures.minute(this.clock.instant().minus(length));
		Tally total = new Tally(0);
		Map<Long, Tally> byVersion = new TreeMap<>();
		long step = STEPS.get(window).toSeconds();
		int points = (int) (length.toSeconds() / step) + 1;
		Tally[] series = new Tally[points];
		this.figures.read(from, null, null, (row) -> {
			long offset = (row.minute().getEpochSecond() - from.getEpochSecond()) / step;
			int point = (int) Math.max(0, Math.min(points - 1, offset));
			if (series[point] == null) {
				series[point] = new Tally(0);
			}
			total.add(row);
			byVersion.computeIfAbsent(row.version(), Tally::new).add(row);
			series[point].add(row);
		});
		long rollbacks = this.activations.rollbacksSince(from);
		BackupHistory history = this.backups.getIfAvailable();
		Long backups = (history != null) ? history.succeededSince(from) : null;
		List<MetricsWindow.VersionFigures> versions = new ArrayList<>();
		byVersion.values().forEach((tally) -> versions.add(tally.toVersion()));
		List<MetricsWindow.Point> chart = new ArrayList<>(series.length);
		for (int i = 0; i < series.length; i++) {
			Tally tally = (series[i] != null) ? series[i] : new Tally(0);
			chart.add(new MetricsWindow.Point(from.plusSeconds(i * step), tally.requests(), tally.hitRate(),
					tally.percentile(0.95)));
		}
		return new MetricsWindow(window, from, total.requests(), total.percentile(0.5), total.percentile(0.95),
				total.hitRate(), total.judgedHitRate(), versions, rollbacks, backups, step, chart);
	}

}
