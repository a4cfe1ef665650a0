package io.brainplane.quality;

import java.time.Instant;

import org.springframework.lang.Nullable;

/**
 * The active version's figures over the last hour, as last refreshed in the background.
 *
 * @param version the version they are about, null when none was active
 * @param lastHour its searches from the minute an hour before {@code refreshedAt}
 * @param refreshedAt when they were computed (the application clock)
 */
public record LiveFigures(@Nullable Long version, Figures lastHour, Instant refreshedAt) {
}
