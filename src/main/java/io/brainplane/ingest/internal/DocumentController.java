package io.brainplane.ingest.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.brainplane.platform.BrainProblem;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /brain/versions/{v}/documents}, as a JSON batch or as NDJSON (one document a
 * line) for bulk loads.
 */
@RestController
public class DocumentController {

	static final String NDJSON = "application/x-ndjson";

	private final DocumentService documents;

	private final ObjectReader lineReader;

	private final IngestProperties properties;

	DocumentController(DocumentService documents, ObjectMapper objectMapper, IngestProperties properties) {
		this.documents = documents;
		this.lineReader = objectMapper.readerFor(DocumentInput.class);
		this.properties = properties;
	}

	@PutMapping(path = "/brain/versions/{version}/documents", consumes = MediaType.APPLICATION_JSON_VALUE)
	IngestResult put(@PathVariable long version, @RequestBody DocumentBatch batch) {
		return this.documents.apply(version, batch, IngestJobs.Priority.API);
	}

	@PutMapping(path = "/brain/versions/{version}/documents", consumes = NDJSON)
	IngestResult putNdjson(@PathVariable long version, InputStream body) throws IOException {
		return this.documents.apply(version, new DocumentBatch(readLines(body), List.of()), IngestJobs.Priority.BULK);
	}

	private List<DocumentInput> readLines(InputStream body) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(body,
				StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)));
		List<DocumentInput> lines = new ArrayList<>();
		int number = 0;
		String line;
		try {
			while ((line = reader.readLine()) != null) {
				number++;
				if (line.isBlank()) {
					continue;
				}
				if (lines.size() == this.properties.maxDocumentsPerCall()) {
					throw BrainProblem.invalid("documents",
							"at most " + this.properties.maxDocumentsPerCall() + " documents are accepted in one call");
				}
				lines.add(parse(line, number));
			}
		}
		catch (java.nio.charset.CharacterCodingException ex) {
			throw new BrainProblem(HttpStatus.BAD_REQUEST, "malformed-ndjson", "Malformed NDJSON",
					"line " + (number + 1) + " is not valid UTF-8");
		}
		return lines;
	}

	private DocumentInput parse(String line, int number) {
		try {
			DocumentInput document = this.lineReader.readValue(line);
			if (document == null) {
				throw new BrainProblem(HttpStatus.BAD_REQUEST, "malformed-ndjson", "Malformed NDJSON",
						"line " + number + " is not a JSON object");
			}
			return document;
		}
		catch (JsonProcessingException ex) {
			String reason = (ex instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown)
					? "unknown field '" + unknown.getPropertyName() + "'" : "is not a valid document object";
			throw new BrainProblem(HttpStatus.BAD_REQUEST, "malformed-ndjson", "Malformed NDJSON",
					"line " + number + ": " + reason);
		}
	}

}
