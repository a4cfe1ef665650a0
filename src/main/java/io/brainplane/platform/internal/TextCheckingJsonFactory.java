package io.brainplane.platform.internal;

import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;

/**
 * The application's JSON factory: every parser it makes checks each string value and
 * field name against {@link io.brainplane.platform.TextRules}. JSON request bodies are
 * read through it, so they are checked once, before any object is built.
 */
final class TextCheckingJsonFactory extends JsonFactory {

	private static final long serialVersionUID = 1L;

	/** A factory with the source's features and read constraints. */
	TextCheckingJsonFactory(JsonFactory source) {
		super(source, null);
	}

	@Override
	public JsonFactory copy() {
		return new TextCheckingJsonFactory(this);
	}

	@Override
	protected JsonParser _createParser(InputStream in, IOContext context) throws IOException {
		return new TextCheckingParser(super._createParser(in, context));
	}

	@Override
	protected JsonParser _createParser(Reader reader, IOContext context) throws IOException {
		return new TextCheckingParser(super._createParser(reader, context));
	}

	@Override
	protected JsonParser _createParser(char[] data, int offset, int length, IOContext context, boolean recyclable)
			throws IOException {
		return new TextCheckingParser(super._createParser(data, offset, length, context, recyclable));
	}

	@Override
	protected JsonParser _createParser(byte[] data, int offset, int length, IOContext context) throws IOException {
		return new TextCheckingParser(super._createParser(data, offset, length, context));
	}

	@Override
	protected JsonParser _createParser(DataInput input, IOContext context) throws IOException {
		return new TextCheckingParser(super._createParser(input, context));
	}

}
