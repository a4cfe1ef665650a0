package io.brainplane.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.brainplane.embed.EmbeddingProvider;
import io.brainplane.platform.Sha256;

import org.springframework.lang.Nullable;

/**
 * The test context's embedding provider: the real one, except that texts whose vectors
 * were recorded from the same model are answered from the recording instead of being
 * embedded again. The recording holds the model's vectors for every Cranfield chunk
 * ({@code src/test/resources/datasets/cranfield/vectors/}), which the Cranfield tests
 * would otherwise embed on one thread for minutes; every other text goes to the model.
 * Search queries always go to the model.
 * <p>
 * {@code search/CranfieldVectorsTests} proves the recording is the model's: it embeds a
 * random sample live and compares, and checks that ingestion cuts the texts the recording
 * has, so a model, tokenizer or chunker change fails there instead of silently serving
 * stale vectors. It also regenerates the recording (see its javadoc).
 * <p>
 * The file: gzip of {@code "brainplane-vectors/1"}, the model id, the dimension and the
 * count (Java {@code DataOutput}), then per text the SHA-256 of its UTF-8 bytes and its
 * floats, sorted by hash.
 */
public final class RecordedEmbeddings implements EmbeddingProvider {

	static final String FORMAT = "brainplane-vectors/1";

	/** Where the recordings live, in the sources and on the class path. */
	public static final Path SOURCE_DIR = Path.of("src", "test", "resources", "datasets", "cranfield", "vectors");

	private static final String RESOURCE_DIR = "/datasets/cranfield/vectors/";

	private final EmbeddingProvider model;

	private volatile Map<String, float[]> recorded;

	private final AtomicLong served = new AtomicLong();

	private final AtomicLong embedded = new AtomicLong();

	public RecordedEmbeddings(EmbeddingProvider model) {
		this.model = model;
	}

	/** The real provider, which embeds everything live. */
	public EmbeddingProvider live() {
		return this.model;
	}

	/** The recording's file name for a model id. */
	public static String fileName(String model) {
		return model.replaceAll("[^A-Za-z0-9.-]", "-") + ".bin.gz";
	}

	/**
	 * The recorded vectors of this provider's model by the hex SHA-256 of their text;
	 * empty when none were recorded for it.
	 */
	public Map<String, float[]> recorded() {
		Map<String, float[]> vectors = this.recorded;
		if (vectors == null) {
			vectors = load(this.model.model());
			this.recorded = vectors;
		}
		return vectors;
	}

	/** Texts answered from the recording so far. */
	public long served() {
		return this.served.get();
	}

	/** Texts the model embedded so far. */
	public long embedded() {
		return this.embedded.get();
	}

	@Override
	public String model() {
		return this.model.model();
	}

	@Override
	public int batchSize() {
		return this.model.batchSize();
	}

	@Override
	public List<float[]> embed(List<String> texts) {
		Map<String, float[]> vectors = recorded();
		float[][] result = new float[texts.size()][];
		List<Integer> missing = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			float[] vector = vectors.get(Sha256.hex(texts.get(i)));
			if (vector != null) {
				// a copy: callers normalise in place
				result[i] = vector.clone();
			}
			else {
				missing.add(i);
			}
		}
		if (!missing.isEmpty()) {
			List<float[]> live = this.model.embed(missing.stream().map(texts::get).toList());
			for (int i = 0; i < missing.size(); i++) {
				result[missing.get(i)] = live.get(i);
			}
		}
		this.served.addAndGet(texts.size() - missing.size());
		this.embedded.addAndGet(missing.size());
		return List.of(result);
	}

	@Override
	public float[] embedQuery(String text) {
		return this.model.embedQuery(text);
	}

	@Override
	public double hitSimilarity() {
		return this.model.hitSimilarity();
	}

	private static Map<String, float[]> load(String model) {
		try (InputStream resource = RecordedEmbeddings.class.getResourceAsStream(RESOURCE_DIR + fileName(model))) {
			if (resource == null) {
				return Map.of();
			}
			return read(resource, model);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Reads a recording; fails if it is not one of {@code model}. */
	public static Map<String, float[]> read(InputStream stream, @Nullable String model) throws IOException {
		DataInputStream in = new DataInputStream(new GZIPInputStream(stream, 1 << 16));
		if (!FORMAT.equals(in.readUTF())) {
			throw new IOException("not a " + FORMAT + " file");
		}
		String recordedModel = in.readUTF();
		if (model != null && !model.equals(recordedModel)) {
			throw new IOException("vectors of " + recordedModel + ", not of " + model);
		}
		int dimension = in.readInt();
		int count = in.readInt();
		Map<String, float[]> vectors = new java.util.HashMap<>(count * 2);
		byte[] hash = new byte[32];
		for (int i = 0; i < count; i++) {
			in.readFully(hash);
			float[] vector = new float[dimension];
			for (int d = 0; d < dimension; d++) {
				vector[d] = in.readFloat();
			}
			vectors.put(HexFormat.of().formatHex(hash), vector);
		}
		return vectors;
	}

	/** Writes a recording of {@code model}'s vectors by hex SHA-256 of their text. */
	public static void write(Path file, String model, Map<String, float[]> vectors) throws IOException {
		Files.createDirectories(file.getParent());
		Map<String, float[]> sorted = new TreeMap<>(vectors);
		int dimension = sorted.values().iterator().next().length;
		try (OutputStream raw = Files.newOutputStream(file);
				DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw, 1 << 16))) {
			out.writeUTF(FORMAT);
			out.writeUTF(model);
			out.writeInt(dimension);
			out.writeInt(sorted.size());
			for (Map.Entry<String, float[]> entry : sorted.entrySet()) {
				out.write(HexFormat.of().parseHex(entry.getKey()));
				for (float value : entry.getValue()) {
					out.writeFloat(value);
				}
			}
		}
	}

	/**
	 * The least cosine of a text's live vector and its recording: the same model on
	 * another kind of CPU. ONNX Runtime picks its int8 kernels by CPU, and AVX2's
	 * saturate where AVX-512 VNNI's do not: the recordings (made on AVX2) against all
	 * 2,320 texts embedded live on a VNNI CPU gave at least 0.9969 (MiniLM) and 0.9971
	 * (bge), half of MiniLM's identical (docs/performance.md). Another model, pooling or
	 * tokenizer is far below; another text has no recording at all (they are found by
	 * SHA-256).
	 */
	public static final double SAME_VECTOR = 0.99;

	/** The cosine of two vectors: how close a live vector is to its recording. */
	public static double cosine(float[] a, float[] b) {
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
			na += a[i] * a[i];
			nb += b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

}
