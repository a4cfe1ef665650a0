package io.brainplane.ingest;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.brainplane.ingest.internal.Chunker;

class ChunkerTests {

	@Test
	void shortTextIsOneChunk() {
		List<Chunker.Chunk> chunks = new Chunker(100, 10).chunk("  A short text.  ");
		assertThat(chunks).singleElement().satisfies((chunk) -> {
			assertThat(chunk.text()).isEqualTo("A short text.");
			assertThat(chunk.start()).isEqualTo(2);
			assertThat(chunk.end()).isEqualTo(15);
		});
	}

	@Test
	void cutsAtAParagraphBreakWhenOneFallsInTheSecondHalf() {
		String first = "First paragraph sentence one. Sentence two is here.";
		String text = first + "\n\n" + "Second paragraph that goes on for quite a while longer than the window.";
		List<Chunker.Chunk> chunks = new Chunker(80, 0).chunk(text);
		assertThat(chunks.get(0).text()).isEqualTo(first);
	}

	@Test
	void cutsAtASentenceEndWhenThereIsNoParagraphBreak() {
		String text = "One sentence that is fairly long. Another sentence follows here and keeps going on and on.";
		List<Chunker.Chunk> chunks = new Chunker(60, 0).chunk(text);
		assertThat(chunks.get(0).text()).isEqualTo("One sentence that is fairly long.");
		assertThat(chunks.get(1).text()).startsWith("Another");
	}

	@Test
	void overlapRepeatsWholeWordsFromThePreviousChunk() {
		String text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma";
		List<Chunker.Chunk> chunks = new Chunker(40, 15).chunk(text);
		assertThat(chunks).hasSizeGreaterThan(2);
		for (int i = 1; i < chunks.size(); i++) {
			Chunker.Chunk previous = chunks.get(i - 1);
			Chunker.Chunk current = chunks.get(i);
			assertThat(current.start()).isLessThan(previous.end());
			assertThat(Character.isWhitespace(text.charAt(current.start() - 1))).isTrue();
		}
	}

	@Test
	void offsetsPointAtTheChunkTextAndCoverTheWholeDocument() {
		String text = "word ".repeat(500) + "\n\nlast words. " + "x".repeat(300);
		List<Chunker.Chunk> chunks = new Chunker(120, 20).chunk(text);
		int covered = 0;
		for (Chunker.Chunk chunk : chunks) {
			assertThat(text.substring(chunk.start(), chunk.end())).isEqualTo(chunk.text());
			assertThat(chunk.text().length()).isLessThanOrEqualTo(120);
			assertThat(chunk.start()).isLessThanOrEqualTo(covered + 1);
			covered = Math.max(covered, chunk.end());
		}
		assertThat(covered).isEqualTo(text.stripTrailing().length());
		assertThat(chunks).extracting(Chunker.Chunk::ordinal)
			.containsExactlyElementsOf(java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
	}

	@Test
	void textWithoutAnyBoundaryIsCutHard() {
		List<Chunker.Chunk> chunks = new Chunker(100, 10).chunk("x".repeat(250));
		assertThat(chunks).hasSize(3);
		assertThat(chunks.get(0).text()).hasSize(100);
	}

	@Test
	void overlapMustBeLessThanHalfTheSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Chunker(100, 50));
	}

}
