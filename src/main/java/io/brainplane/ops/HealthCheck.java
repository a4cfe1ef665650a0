package io.brainplane.ops;

import java.util.Map;

/**
 * One SLA check shown under {@code checks} of {@code GET /brain/health}. Modules
 * contribute them as beans; a check must answer from memory or a cheap query and never
 * throw.
 */
public interface HealthCheck {

	/** The key under {@code checks}, e.g. {@code p95LatencyMs}. */
	String name();

	/**
	 * The check's fields, e.g. {@code value}, {@code target}, {@code ok}. An {@code ok}
	 * of {@code false} makes the status DEGRADED; {@code null} means not known yet.
	 */
	Map<String, Object> evaluate();

	/** A check with value, target and verdict. */
	static Map<String, Object> result(Object value, Object target, Boolean ok) {
		Map<String, Object> fields = new java.util.LinkedHashMap<>();
		fields.put("value", value);
		fields.put("target", target);
		fields.put("ok", ok);
		return fields;
	}

}
