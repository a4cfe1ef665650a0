package io.brainplane.platform;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;

/**
 * A JSON string or field name that breaks {@link TextRules}, raised while the body is
 * parsed, so it is refused before any object is built. Rendered as a 400 naming the field
 * by the problem handler; code that parses JSON itself can call
 * {@link #toProblem(String)}.
 */
public final class UnacceptableText extends JsonParseException {

	private final String field;

	private final String reason;

	public UnacceptableText(JsonParser parser, String field, String reason) {
		super(parser, field + ": " + reason);
		this.field = field;
		this.reason = reason;
	}

	/** The field in the client's terms: {@code documents[0].title}, {@code body}. */
	public String field() {
		return this.field;
	}

	/** What is wrong, without the text itself. */
	public String reason() {
		return this.reason;
	}

	/**
	 * The 400 for this text.
	 * @param prefix put before the field name (say {@code "line 3: "}), or empty
	 * @return the problem to throw
	 */
	public BrainProblem toProblem(String prefix) {
		return BrainProblem.invalid(prefix + this.field, this.reason);
	}

}
