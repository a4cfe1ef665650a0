package io.brainplane.embed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Vector helpers: unit length (so a dot product is the cosine) and the compact byte form
 * stored in PostgreSQL (float32, little-endian).
 */
public final class Vectors {

	private Vectors() {
	}

	/** The vector scaled to unit length, in place; a zero vector is returned as is. */
	public static float[] normalize(float[] vector) {
		double sum = 0;
		for (float value : vector) {
			sum += value * value;
		}
		if (sum > 0) {
			float scale = (float) (1 / Math.sqrt(sum));
			for (int i = 0; i < vector.length; i++) {
				vector[i] *= scale;
			}
		}
		return vector;
	}

	public static byte[] toBytes(float[] vector) {
		ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		buffer.asFloatBuffer().put(vector);
		return buffer.array();
	}

	public static float[] fromBytes(byte[] bytes) {
		float[] vector = new float[bytes.length / Float.BYTES];
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
		return vector;
	}

}
