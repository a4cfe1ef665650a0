package io.brainplane.search;

/**
 * Told of every answered search, synchronously, on the request thread, before the answer
 * is written: the recording of hits and misses. It must only hand the search off, never
 * do I/O. A direct call rather than an application event: Spring's event multicasting
 * (payload wrapping, type resolution, listener lookup, reflective invocation) cost a
 * search about twice what the recording itself did (docs/performance.md).
 */
@FunctionalInterface
public interface SearchRecorder {

	void record(SearchCompleted search);

}
