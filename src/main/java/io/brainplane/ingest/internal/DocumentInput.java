package io.brainplane.ingest.internal;

import java.util.Map;

import org.springframework.lang.Nullable;

/**
 * A document as clients send it.
 */
public record DocumentInput(@Nullable String key, @Nullable String title, @Nullable String content,
		@Nullable String source, @Nullable Map<String, Object> metadata) {
}
