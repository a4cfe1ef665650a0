package io.brainplane.search.internal;

import java.util.List;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchGroup;
import io.brainplane.search.SearchHit;
import io.brainplane.search.SearchMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import org.springframework.stereotype.Component;

/**
 * Bounded cache of result lists. The key holds the version's identity (number and
 * checksum), so a switch can never serve another version's results.
 */
@Component
public class ResultCache {

	private final Cache<Key, Ranked> cache;

	/**
	 * False with {@code cache-size=0}: searches then bypass Caffeine altogether (a cache
	 * of size 0 would still store, evict and schedule maintenance for every search).
	 */
	private final boolean enabled;

	ResultCache(SearchProperties properties, MeterRegistry registry) {
		this.enabled = properties.cacheSize() > 0;
		this.cache = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfterWrite(properties.cacheTtl())
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(registry, this.cache, "brain_search_results");
	}

	public Ranked get(Key key, Supplier<Ranked> search) {
		if (!this.enabled) {
			return search.get();
		}
		return this.cache.get(key, (k) -> search.get());
	}

	Stats stats() {
		CacheStats stats = this.cache.stats();
		return new Stats(this.cache.estimatedSize(), stats.hitCount(), stats.missCount(), stats.hitRate(),
				stats.evictionCount());
	}

	public void invalidate(Key key) {
		this.cache.invalidate(key);
	}

	void clear() {
		this.cache.invalidateAll();
	}

	public record Key(VersionRef version, String query, int k, SearchGroup group, SearchMode mode) {
	}

	/**
	 * A result list, how good its best result is, and the mode that produced it.
	 *
	 * @param relevance the lexical best result's normalised relevance (0..1), -1 when no
	 * lexical ranking was made
	 * @param similarity the cosine similarity of the nearest chunk, -1 when no semantic
	 * ranking was made
	 */
	public record Ranked(List<SearchHit> hits, float relevance, float similarity, SearchMode mode) {
	}

	/**
	 * The API's view of the cache.
	 */
	record Stats(long size, long hits, long misses, double hitRatio, long evictions) {
	}

}
