package io.brainplane.ops.internal;

import java.time.Instant;
import java.util.Locale;

/**
 * What a pulse reports. A figure that could not be read (database unreachable) is
 * {@code null}.
 *
 * @param since start of the period (the previous pulse, or 24 hours back)
 * @param freshnessSeconds age of the active version's content
 * @param searches searches recorded since the previous pulse (every replica)
 * @param p95Ms 95th percentile search latency of those searches, computed like
 * {@code /brain/metrics} (see docs/metrics.md); null without searches
 * @param rollbacks rollbacks (manual and automatic) since the previous pulse
 * @param hitRate hit rate (feedback over the automatic verdict) of the searches since the
 * previous pulse, null without searches
 * @param backups successful backups since the previous pulse
 * @param text the message as posted
 */
public record PulseSummary(Instant since, Long activeVersion, String label, Double freshnessSeconds, Double hitRate,
		Double p95Ms, Long searches, Long rollbacks, Long backups, String text) {

	static String render(String kind, Long activeVersion, String label, Double freshnessSeconds, Double hitRate,
			Double p95Ms, Long searches, Long rollbacks, Long backups) {
		StringBuilder text = new StringBuilder("Brainplane ").append(kind).append(" pulse: ");
		if (activeVersion == null) {
			text.append("no active version");
		}
		else {
			text.append("active version ").append(activeVersion);
			if (label != null) {
				text.append(" (").append(label).append(')');
			}
		}
		text.append(", freshness ").append(hours(freshnessSeconds));
		text.append(", hit rate ").append((hitRate != null) ? format("%.2f", hitRate) : "n/a");
		text.append(", p95 ").append((p95Ms != null) ? format("%.0f ms", p95Ms) : "n/a");
		text.append(" over ").append((searches != null) ? searches.toString() : "n/a").append(" searches");
		text.append(", ").append((rollbacks != null) ? rollbacks.toString() : "n/a");
		text.append((rollbacks != null && rollbacks == 1) ? " rollback" : " rollbacks");
		text.append(", backups ").append((backups != null) ? backups.toString() : "n/a");
		return text.append(" since the last pulse").toString();
	}

	private static String hours(Double seconds) {
		return (seconds != null) ? format("%.1f h", seconds / 3600) : "n/a";
	}

	private static String format(String pattern, double value) {
		return String.format(Locale.ROOT, pattern, value);
	}

}
