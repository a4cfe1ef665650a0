package io.brainplane.platform;

import org.springframework.lang.Nullable;

/**
 * The one rule for text that enters Brainplane, wherever it comes from (query parameters,
 * path segments, JSON bodies, NDJSON lines, webhook payloads): it must be a sequence of
 * Unicode characters PostgreSQL, Lucene and a log reader can take. Refused are
 * <ul>
 * <li>U+0000 (PostgreSQL {@code text} cannot hold it: one such value used to stop the hit
 * writer),</li>
 * <li>unpaired surrogates (not characters at all; they do not survive UTF-8),</li>
 * <li>the 66 Unicode noncharacters (U+FDD0..U+FDEF and U+xFFFE, U+xFFFF on every
 * plane),</li>
 * <li>C0 control characters other than tab, line feed, carriage return and form feed
 * (form feed is a page break in text extracted from PDFs; the others have no business in
 * a query, key, title or document and can forge log lines or terminal output).</li>
 * </ul>
 * DEL and the C1 controls are accepted: they are characters, and legacy text decoded as
 * Latin-1 carries them.
 */
public final class TextRules {

	private TextRules() {
	}

	/**
	 * What is wrong with the text, or null when it is acceptable.
	 * @param text the text to check
	 * @return a description that names the first bad character and its position, never
	 * the text itself
	 */
	@Nullable
	public static String violation(@Nullable CharSequence text) {
		if (text == null) {
			return null;
		}
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c < 0xD800) {
				continue;
			}
			if (c < 0x20) {
				if (c == '\t' || c == '\n' || c == '\r' || c == '\f') {
					continue;
				}
				return "must not contain " + ((c == 0) ? "NUL (U+0000)" : "the control character " + codePoint(c))
						+ " (at character " + i + ")";
			}
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
					int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
					if (isNoncharacter(codePoint)) {
						return noncharacter(codePoint, i);
					}
					i++;
					continue;
				}
				return "must not contain an unpaired surrogate " + codePoint(c) + " (at character " + i
						+ "); it is not a character";
			}
			if (isNoncharacter(c)) {
				return noncharacter(c, i);
			}
		}
		return null;
	}

	/**
	 * Refuses text that breaks the rule with a 400 naming the field.
	 * @param field the field as the client knows it ({@code q}, {@code documents[3].key})
	 * @param text the text, may be null
	 * @throws BrainProblem 400 {@code invalid-request} when the text is not acceptable
	 */
	public static void require(String field, @Nullable CharSequence text) {
		String violation = violation(text);
		if (violation != null) {
			throw BrainProblem.invalid(field, violation);
		}
	}

	static boolean isNoncharacter(int codePoint) {
		return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
	}

	private static String noncharacter(int codePoint, int index) {
		return "must not contain the Unicode noncharacter " + codePoint(codePoint) + " (at character " + index + ")";
	}

	private static String codePoint(int codePoint) {
		return String.format("U+%04X", codePoint);
	}

}
