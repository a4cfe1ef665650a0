package io.brainplane.search.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.brainplane.search.SearchHit;
import io.brainplane.search.SearchResponse;

import org.springframework.lang.Nullable;

/**
 * A search answer as JSON: the bytes Jackson's bean serialization of
 * {@link SearchResponse} writes (same fields, order, number and string forms, the
 * metadata raw), written field by field on a generator of the application's
 * {@link ObjectMapper} instead of through its bean serializers (a reflective accessor
 * call and a serializer lookup per field of every result), into a buffer each request
 * thread keeps, so the answer is neither assembled from segments nor copied once more
 * (docs/performance.md). {@code SearchResponseTests} compares the bytes with Jackson's.
 */
public final class SearchJson {

	/** A buffer grown past this (a very large answer) is not kept for the next one. */
	private static final int KEPT_BYTES = 64 * 1024;

	private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

	private final ObjectWriter writer;

	public SearchJson(ObjectMapper objectMapper) {
		this.writer = objectMapper.writerFor(SearchResponse.class);
	}

	/**
	 * Writes the answer to {@code out} once it is complete, after telling {@code length}
	 * its size.
	 */
	public void write(SearchResponse response, Length length, OutputStream out) throws IOException {
		Buffer buffer = BUFFERS.get();
		buffer.reset();
		try {
			try (JsonGenerator json = this.writer.createGenerator(buffer)) {
				write(json, response);
			}
			length.set(buffer.size());
			out.write(buffer.bytes(), 0, buffer.size());
		}
		finally {
			if (buffer.bytes().length > KEPT_BYTES) {
				BUFFERS.remove();
			}
		}
	}

	/** The answer's bytes (for tests and other callers that need them whole). */
	public byte[] bytes(SearchResponse response) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		write(response, (length) -> {
		}, out);
		return out.toByteArray();
	}

	private static void write(JsonGenerator json, SearchResponse response) throws IOException {
		json.writeStartObject();
		string(json, "queryId", response.queryId());
		json.writeNumberField("version", response.version());
		json.writeNumberField("tookMs", response.tookMs());
		json.writeBooleanField("hit", response.hit());
		string(json, "mode", response.mode());
		json.writeFieldName("results");
		if (response.results() == null) {
			json.writeNull();
		}
		else {
			json.writeStartArray();
			for (SearchHit hit : response.results()) {
				json.writeStartObject();
				string(json, "documentKey", hit.documentKey());
				string(json, "title", hit.title());
				json.writeNumberField("chunkId", hit.chunkId());
				json.writeNumberField("score", hit.score());
				string(json, "text", hit.text());
				string(json, "source", hit.source());
				json.writeFieldName("metadata");
				if (hit.metadata() == null) {
					json.writeNull();
				}
				else {
					json.writeRawValue(hit.metadata());
				}
				json.writeEndObject();
			}
			json.writeEndArray();
		}
		json.writeEndObject();
	}

	private static void string(JsonGenerator json, String name, @Nullable String value) throws IOException {
		json.writeFieldName(name);
		if (value == null) {
			json.writeNull();
		}
		else {
			json.writeString(value);
		}
	}

	/** Told the answer's length before it is written. */
	@FunctionalInterface
	public interface Length {

		void set(int bytes);

	}

	private static final class Buffer extends ByteArrayOutputStream {

		Buffer() {
			super(8192);
		}

		byte[] bytes() {
			return this.buf;
		}

	}

}
