package io.brainplane.protect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.TestKeys;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.test.util.ReflectionTestUtils;

import static io.brainplane.protect.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class SecurityTests extends IntegrationTest {

	@Autowired
	private Environment environment;

	@Autowired
	private ApplicationContext context;

	/**
	 * Spring Security's chain is served as it is built, without the filter Spring
	 * Security wraps around it when Spring MVC is present, which looked up every
	 * request's MVC handler ahead of the dispatcher (which looks it up again): the rules
	 * above still hold through it.
	 */
	@Test
	void theSecurityChainRunsWithoutAHandlerLookupAheadOfTheDispatcher() {
		Filter chain = this.context.getBean(AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME,
				Filter.class);
		assertThat(filtersIn(chain)).isNotEmpty()
			.noneMatch((filter) -> filter.getClass().getName().contains("HandlerMappingIntrospector"))
			.anyMatch((filter) -> filter.getClass() == FilterChainProxy.class);
		assertProblem(anonymousApi().get("/brain/search?q=anything"), 401, "unauthorized", "API key is required");
	}

	/**
	 * The filters the chain runs before and around its security filters: Spring
	 * Security's wrappers (a filter list ending in the chain proper), unwrapped.
	 */
	private static List<Filter> filtersIn(Filter filter) {
		List<Filter> found = new ArrayList<>();
		found.add(filter);
		if (filter.getClass() != FilterChainProxy.class && filter instanceof FilterChainProxy) {
			Object delegate = ReflectionTestUtils.getField(filter, "doFilterDelegate");
			Object inner = (delegate != null) ? ReflectionTestUtils.getField(delegate, "filters") : null;
			if (inner instanceof List<?> filters) {
				for (Object each : filters) {
					found.addAll(filtersIn((Filter) each));
				}
			}
		}
		return found;
	}

	@Test
	void withoutAKeyEveryBrainCallButHealthAndWebhookIsUnauthorized() {
		// a version is served, so the public health answers 200 (503 only when nothing
		// is)
		activate(sealedVersion("none", List.of(doc(unique("h"), "Herons", "Herons stand still in the shallows."))));
		Api anonymous = anonymousApi();
		assertProblem(anonymous.get("/brain/search?q=anything"), 401, "unauthorized", "API key is required");
		assertProblem(anonymous.get("/brain/versions"), 401, "unauthorized", "Authorization: Bearer");
		assertProblem(anonymous.post("/brain/rollback", Map.of()), 401, "unauthorized", "API key is required");
		assertProblem(anonymous.post("/brain/versions", Map.of()), 401, "unauthorized", "API key is required");
		assertProblem(anonymous.post("/brain/backups", null), 401, "unauthorized", "API key is required");
		assertThat(anonymous.get("/brain/search?q=x").header("WWW-Authenticate")).isEqualTo("Bearer");
		Api.Response health = anonymous.get("/brain/health");
		assertThat(health.status()).as(health.toString()).isEqualTo(200);
		assertThat(health.json().get("status").asText()).isIn("UP", "DEGRADED");
	}

	@Test
	void anUnknownKeyIsUnauthorizedAndNotEchoed() {
		Api.Response response = anonymousApi().withHeaders(TestKeys.bearer("not-a-real-key-123456"))
			.get("/brain/versions");
		assertProblem(response, 401, "unauthorized", "not known");
		assertThat(response.raw()).doesNotContain("not-a-real-key");
		assertProblem(anonymousApi().withHeaders(Map.of("X-API-Key", "guess")).get("/brain/versions"), 401,
				"unauthorized", "not known");
	}

	@Test
	void keysAreAcceptedAsBearerOrXApiKeyAndByTheirSha256() {
		assertThat(anonymousApi().withHeaders(Map.of("X-API-Key", TestKeys.OPERATOR)).get("/brain/versions").status())
			.isEqualTo(200);
		assertThat(anonymousApi().withHeaders(Map.of("Authorization", "bearer " + TestKeys.READER))
			.get("/brain/versions")
			.status()).isEqualTo(200);
		assertThat(anonymousApi().withHeaders(TestKeys.bearer(TestKeys.HASHED_READER)).get("/brain/versions").status())
			.isEqualTo(200);
		assertProblem(anonymousApi().withHeaders(TestKeys.bearer(TestKeys.HASHED_READER)).post("/brain/rollback", null),
				403, "forbidden", "test-hashed-reader");
	}

	@Test
	void aReaderSearchesGivesFeedbackAndReadsButChangesNothing() {
		long version = sealedVersion("none", List.of(doc(unique("r"), "Robins", "Robins sing at dawn.")));
		activate(version);
		Api reader = readerApi();
		Api.Response search = reader.get("/brain/search?q=robins");
		assertThat(search.status()).as(search.toString()).isEqualTo(200);
		assertThat(reader.get("/brain/versions").status()).isEqualTo(200);
		assertThat(reader.get("/brain/versions/" + version).status()).isEqualTo(200);
		assertThat(reader.get("/brain/activations").status()).isEqualTo(200);
		assertThat(reader.get("/brain/diff?from=" + version + "&to=" + version).status()).isEqualTo(200);
		// Feedback is a reader's call.
		Api.Response feedback = reader.post("/brain/feedback",
				Map.of("queryId", search.json().get("queryId").asText(), "relevant", true));
		assertThat(feedback.status()).as(feedback.toString()).isEqualTo(204);
	}

	@Test
	void aReaderCannotRollBackSealActivateCreateBackUpOrRestore() {
		long first = sealedVersion("none", List.of(doc(unique("a"), "Ants", "Ants carry leaves.")));
		activate(first);
		long second = sealedVersion("none", List.of(doc(unique("b"), "Bees", "Bees make honey.")));
		activate(second);
		long building = createVersion("none");
		long versionsBefore = count("brain_index");
		long activationsBefore = count("activation_log");
		Api reader = readerApi();
		assertProblem(reader.post("/brain/rollback", Map.of()), 403, "forbidden", "POST /brain/rollback");
		assertProblem(reader.post("/brain/versions/" + building + "/seal", null), 403, "forbidden", "operator role");
		assertProblem(reader.post("/brain/versions/" + first + "/activate", Map.of()), 403, "forbidden", "test-reader");
		assertProblem(reader.post("/brain/versions", Map.of("label", "nope")), 403, "forbidden", "operator");
		assertProblem(reader.put("/brain/versions/" + building + "/documents",
				Map.of("documents", List.of(doc("k", "K", "text")))), 403, "forbidden", "operator");
		assertProblem(reader.post("/brain/backups", null), 403, "forbidden", "operator");
		assertProblem(reader.get("/brain/backups"), 403, "forbidden", "operator");
		assertProblem(reader.get("/brain/backups/1"), 403, "forbidden", "operator");
		assertProblem(reader.post("/brain/backups/1/restore?confirm=true", null), 403, "forbidden", "operator");
		assertProblem(reader.delete("/brain/cache"), 403, "forbidden", "operator");
		assertThat(count("brain_index")).isEqualTo(versionsBefore);
		assertThat(count("activation_log")).isEqualTo(activationsBefore);
		assertThat(api().get("/brain/versions/" + second).json().get("active").asBoolean()).isTrue();
		assertThat(api().get("/brain/versions/" + building).json().get("state").asText()).isEqualTo("BUILDING");
	}

	@Test
	void anOperatorRollsBackSealsAndReachesBackupsWithItsNameAsActor() {
		long first = sealedVersion("none", List.of(doc(unique("a"), "Ants", "Ants carry leaves.")));
		activate(first);
		long second = sealedVersion("none", List.of(doc(unique("b"), "Bees", "Bees make honey.")));
		activate(second);
		Api.Response rollback = api().post("/brain/rollback", Map.of("reason", "test"));
		assertThat(rollback.status()).as(rollback.toString()).isEqualTo(200);
		assertThat(rollback.json().get("to").asLong()).isEqualTo(first);
		assertThat(api().get("/brain/activations?limit=1").json().get("activations").get(0).get("actor").asText())
			.isEqualTo("test-operator");
		// The operator is let through to the backup endpoints (without starting a backup
		// in the shared database: an unknown one is the handler's 404, not a refusal).
		assertThat(api().get("/brain/backups").status()).isEqualTo(200);
		assertProblem(api().post("/brain/backups/20000101T000000Z-000000/verify", null), 404, "backup-not-found",
				"No backup");
	}

	@Test
	void healthIsPublicAndTheActuatorIsNotBehindKeys() {
		// Public: the anonymous caller gets exactly what the operator gets (200 UP or
		// DEGRADED, 503 DOWN, depending on the shared database's figures).
		Api.Response health = anonymousApi().get("/brain/health");
		assertThat(health.status()).as(health.toString()).isEqualTo(api().get("/brain/health").status());
		assertThat(health.json().has("status")).isTrue();
		assertThat(anonymousApi().get("/brain/health").header("X-RateLimit-Limit"))
			.as("public, so limited per address like any anonymous call")
			.isNotNull();
		Api management = new Api("http://localhost:" + this.environment.getProperty("local.management.port"));
		assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
		Api.Response actuatorHealth = management.get("/actuator/health");
		assertThat(actuatorHealth.status())
			.isEqualTo(actuatorHealth.json().get("status").asText().equals("DOWN") ? 503 : 200);
		assertThat(management.get("/actuator/env").status()).isEqualTo(404);
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

}
