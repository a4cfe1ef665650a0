package io.brainplane.quality.internal;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.index.ActivationGate;
import io.brainplane.index.VersionService;

import org.springframework.stereotype.Component;

/**
 * Refuses to activate a version whose last evaluation's hit rate is below
 * {@code brain.quality.min-eval-hit-rate}, or that was never evaluated when
 * {@code brain.quality.require-eval} is true, unless the activation is forced.
 */
@Component
public class EvalGate implements ActivationGate {

	private final VersionService versions;

	private final ObjectMapper json;

	private final QualityProperties properties;

	EvalGate(VersionService versions, ObjectMapper json, QualityProperties properties) {
		this.versions = versions;
		this.json = json;
		this.properties = properties;
	}

	@Override
	public Optional<String> refuse(long version, boolean force) {
		Double min = this.properties.minEvalHitRate();
		if (force || (min == null && !this.properties.requireEval())) {
			return Optional.empty();
		}
		JsonNode evaluation = this.versions.evaluation(version).map(this::parse).orElse(null);
		if (evaluation == null || !evaluation.hasNonNull("hitRate")) {
			return this.properties.requireEval()
					? Optional.of("version " + version
							+ " was never evaluated and brain.quality.require-eval is true; evaluate it "
							+ "(POST /brain/versions/" + version + "/evaluate?set=NAME) or activate with force: true")
					: Optional.empty();
		}
		double hitRate = evaluation.get("hitRate").asDouble();
		if (min != null && hitRate < min) {
			return Optional.of(String.format(Locale.ROOT,
					"version %d scored an evaluation hit rate of %.3f on set '%s' (%d queries, k=%d), below "
							+ "brain.quality.min-eval-hit-rate %.3f; activate with force: true to override",
					version, hitRate, evaluation.path("set").asText(), evaluation.path("queries").asInt(),
					evaluation.path("k").asInt(), min));
		}
		return Optional.empty();
	}

	private JsonNode parse(String text) {
		try {
			return this.json.readTree(text);
		}
		catch (java.io.IOException ex) {
			return null;
		}
	}

}
