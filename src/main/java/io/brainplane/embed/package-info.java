/**
 * Embeddings: the provider that turns text into vectors for semantic search.
 * {@code local} runs a sentence-embedding model in process (shipped inside a Maven
 * Central artifact, nothing downloaded at run time), {@code openai} calls any
 * OpenAI-compatible {@code /v1/embeddings} endpoint, {@code none} leaves search lexical.
 * <p>
 * Owns no table. Implementation types live in {@code internal}; the root package is the
 * module's API.
 */
@NonNullApi
package io.brainplane.embed;

import org.springframework.lang.NonNullApi;
