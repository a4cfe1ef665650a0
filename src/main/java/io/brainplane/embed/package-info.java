/**
 * Embeddings: the provider that turns text into vectors for semantic search.
 * {@code local} runs a sentence-embedding model in process (shipped inside a Maven
 * Central artifact, nothing downloaded at run time), {@code openai} calls any
 * OpenAI-compatible {@code /v1/embeddings} endpoint, {@code none} leaves search lexical.
 */
@NonNullApi
package io.brainplane.embed;

import org.springframework.lang.NonNullApi;
