package io.brainplane.platform.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import io.brainplane.platform.TextRules;
import io.brainplane.platform.UnacceptableText;

/**
 * Checks every string value and field name as it is read. The fast paths a delegate would
 * otherwise pass straight through ({@code nextFieldName}, {@code nextTextValue} and
 * friends) are routed through {@link #nextToken()} so none escapes the check.
 */
final class TextCheckingParser extends JsonParserDelegate {

	TextCheckingParser(JsonParser delegate) {
		super(delegate);
	}

	@Override
	public JsonToken nextToken() throws IOException {
		JsonToken token = this.delegate.nextToken();
		if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
			String violation = TextRules.violation(this.delegate.getText());
			if (violation != null) {
				throw new UnacceptableText(this, field(token), violation);
			}
		}
		return token;
	}

	@Override
	public JsonToken nextValue() throws IOException {
		JsonToken token = nextToken();
		return (token == JsonToken.FIELD_NAME) ? nextToken() : token;
	}

	@Override
	public String nextFieldName() throws IOException {
		return (nextToken() == JsonToken.FIELD_NAME) ? currentName() : null;
	}

	@Override
	public boolean nextFieldName(SerializableString name) throws IOException {
		return (nextToken() == JsonToken.FIELD_NAME) && name.getValue().equals(currentName());
	}

	@Override
	public String nextTextValue() throws IOException {
		return (nextToken() == JsonToken.VALUE_STRING) ? getText() : null;
	}

	@Override
	public int nextIntValue(int defaultValue) throws IOException {
		return (nextToken() == JsonToken.VALUE_NUMBER_INT) ? getIntValue() : defaultValue;
	}

	@Override
	public long nextLongValue(long defaultValue) throws IOException {
		return (nextToken() == JsonToken.VALUE_NUMBER_INT) ? getLongValue() : defaultValue;
	}

	@Override
	public Boolean nextBooleanValue() throws IOException {
		JsonToken token = nextToken();
		return (token == JsonToken.VALUE_TRUE) ? Boolean.TRUE : (token == JsonToken.VALUE_FALSE) ? Boolean.FALSE : null;
	}

	/**
	 * The field in the client's terms: {@code documents[2].title}; a bad field name is
	 * reported as a field name of its parent, never echoed.
	 */
	private String field(JsonToken token) {
		if (token == JsonToken.FIELD_NAME) {
			String parent = readable(this.delegate.getParsingContext().getParent().pathAsPointer());
			return parent.equals("body") ? "a field name" : "a field name in " + parent;
		}
		return readable(this.delegate.getParsingContext().pathAsPointer());
	}

	static String readable(JsonPointer pointer) {
		StringBuilder field = new StringBuilder();
		for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
			if (p.mayMatchElement()) {
				field.append('[').append(p.getMatchingIndex()).append(']');
			}
			else {
				String name = p.getMatchingProperty();
				String shown = (TextRules.violation(name) == null && name.length() <= 80) ? name : "?";
				field.append(field.isEmpty() ? "" : ".").append(shown);
			}
		}
		return field.isEmpty() ? "body" : field.toString();
	}

}
