package io.brainplane.ingest.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into overlapping chunks of about {@code size} characters. A cut goes at the
 * last paragraph break in the second half of the window, else the last sentence end, else
 * the last whitespace, else at the window's end. The next chunk starts {@code overlap}
 * characters before the cut, moved forward to a word start.
 */
public final class Chunker {

	private final int size;

	private final int overlap;

	public Chunker(int size, int overlap) {
		if (size < 2 || overlap < 0 || overlap >= size / 2) {
			throw new IllegalArgumentException("need size >= 2 and 0 <= overlap < size / 2");
		}
		this.size = size;
		this.overlap = overlap;
	}

	public List<Chunk> chunk(String text) {
		List<Chunk> chunks = new ArrayList<>();
		int start = skipWhitespace(text, 0);
		while (start < text.length()) {
			int end = (text.length() - start <= this.size) ? text.length() : cut(text, start, start + this.size);
			int trimmedEnd = end;
			while (trimmedEnd > start && Character.isWhitespace(text.charAt(trimmedEnd - 1))) {
				trimmedEnd--;
			}
			chunks.add(new Chunk(chunks.size(), text.substring(start, trimmedEnd), start, trimmedEnd));
			if (end >= text.length()) {
				break;
			}
			start = nextStart(text, start, end);
		}
		return chunks;
	}

	private int cut(String text, int start, int limit) {
		int floor = start + this.size / 2;
		int paragraph = text.lastIndexOf("\n\n", limit - 2);
		if (paragraph >= floor) {
			return paragraph + 2;
		}
		for (int i = limit - 1; i >= floor; i--) {
			char c = text.charAt(i - 1);
			if ((c == '.' || c == '!' || c == '?' || c == '\n') && Character.isWhitespace(text.charAt(i))) {
				return i;
			}
		}
		for (int i = limit - 1; i >= floor; i--) {
			if (Character.isWhitespace(text.charAt(i))) {
				return i + 1;
			}
		}
		return limit;
	}

	private int nextStart(String text, int start, int end) {
		int next = Math.max(start + 1, end - this.overlap);
		if (next < end && next > 0 && !Character.isWhitespace(text.charAt(next - 1))) {
			// Move forward to the start of the next word, but never past the cut.
			int word = next;
			while (word < end && !Character.isWhitespace(text.charAt(word - 1))) {
				word++;
			}
			next = word;
		}
		return skipWhitespace(text, next);
	}

	private static int skipWhitespace(String text, int from) {
		int i = from;
		while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
			i++;
		}
		return i;
	}

	/**
	 * A piece of a document: its position and the character offsets it covers.
	 */
	public record Chunk(int ordinal, String text, int start, int end) {
	}

}
