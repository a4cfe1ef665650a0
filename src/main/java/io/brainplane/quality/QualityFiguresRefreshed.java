package io.brainplane.quality;

/**
 * Published after {@link QualityFigures#live()} changed, so views built on it (the health
 * snapshot) can follow at once.
 */
public record QualityFiguresRefreshed(LiveFigures figures) {
}
