package io.brainplane.audit.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.platform.AuditEvent;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Every state-changing call is in the audit trail, refusals included, with who, what, on
 * what, the outcome, the request id and the client address; system actions too. The trail
 * is append-only, operators only, and recording it never fails the call.
 */
class AuditTrailTests extends IntegrationTest {

	@Autowired
	AuditTrail trail;

	@Autowired
	AuditRetention retention;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Test
	void everyKindOfChangeIsRecordedWithActorActionTargetOutcomeRequestIdAndClient() {
		String id = requestId();
		Api.Response created = api(id).post("/brain/versions", Map.of("label", unique("audit")));
		assertThat(created.status()).isEqualTo(201);
		long version = created.json().get("version").asLong();
		JsonNode entry = entry(id);
		assertThat(entry.get("actor").asText()).isEqualTo("test-operator");
		assertThat(entry.get("action").asText()).isEqualTo("versions.create");
		assertThat(entry.get("outcome").asText()).isEqualTo("ok");
		assertThat(entry.get("status").asInt()).isEqualTo(201);
		assertThat(entry.get("client").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
		assertThat(entry.get("at").asText()).isNotBlank();

		assertRecorded(
				api(id = requestId()).put("/brain/versions/" + version + "/documents",
						Map.of("documents", List.of(doc("audited", "Audited", "Every change is audited.")))),
				id, "versions.documents.put", "version=" + version, "ok");
		assertRecorded(api(id = requestId()).post("/brain/versions/" + version + "/seal", null), id, "versions.seal",
				"version=" + version, "ok");
		assertRecorded(api(id = requestId()).post("/brain/versions/" + version + "/activate", Map.of()), id,
				"versions.activate", "version=" + version, "ok");
		String set = unique("set");
		assertRecorded(
				api(id = requestId()).put("/brain/eval-sets/" + set,
						Map.of("queries", List.of(Map.of("q", "audited", "relevant", List.of("audited"))))),
				id, "eval-sets.put", "name=" + set, "ok");
		assertRecorded(api(id = requestId()).post("/brain/versions/" + version + "/evaluate?set=" + set, null), id,
				"versions.evaluate", "version=" + version + ",set=" + set, "ok");
		assertRecorded(api(id = requestId()).delete("/brain/cache"), id, "cache.delete", null, "ok");
		assertRecorded(api(id = requestId()).post("/brain/rollback", Map.of("to", 999_999_999)), id, "rollback", null,
				"refused");
		assertRecorded(api(id = requestId()).post("/brain/backups/999999999/verify", null), id, "backups.verify",
				"id=999999999", "refused");
		assertRecorded(api(id = requestId()).post("/brain/backups/999999999/restore?confirm=true", null), id,
				"backups.restore", "id=999999999,scope=all", "refused");
		assertRecorded(api(id = requestId()).post("/brain/backups/999999999/drill", null), id, "backups.drill",
				"id=999999999", "refused");
		// Reads are not recorded.
		String read = requestId();
		api(read).get("/brain/versions/" + version);
		this.trail.flush();
		assertThat(this.jdbc.sql("select count(*) from brain_audit where request_id = ?")
			.param(read)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aRestoreIsRecordedWithItsScopeAndVersion() {
		String id = requestId();
		assertRecorded(api(id).post("/brain/backups/999999999/restore?confirm=true&scope=version&version=7", null), id,
				"backups.restore", "id=999999999,scope=version,version=7", "refused");
		assertRecorded(api(id = requestId()).post("/brain/backups/999999999/restore?scope=index&confirm=true", null),
				id, "backups.restore", "id=999999999,scope=index", "refused");
		// refused before the handler ran (a reader may not restore): named all the same
		String reader = requestId();
		assertThat(readerApi().withHeaders(Map.of("X-Request-Id", reader))
			.post("/brain/backups/12/restore?confirm=true&scope=version&version=7", null)
			.status()).isEqualTo(403);
		JsonNode refused = entry(reader);
		assertThat(refused.get("actor").asText()).isEqualTo("test-reader");
		assertThat(refused.get("action").asText()).isEqualTo("backups.restore");
		assertThat(refused.get("target").asText()).isEqualTo("id=12,scope=version,version=7");
	}

	@Test
	void refusalsAreRecordedWithWhoWasRefused() {
		String id = requestId();
		Api.Response forbidden = readerApi().withHeaders(Map.of("X-Request-Id", id)).post("/brain/versions", Map.of());
		assertThat(forbidden.status()).isEqualTo(403);
		JsonNode entry = entry(id);
		assertThat(entry.get("actor").asText()).isEqualTo("test-reader");
		assertThat(entry.get("action").asText()).isEqualTo("versions.create");
		assertThat(entry.get("outcome").asText()).isEqualTo("refused");
		assertThat(entry.get("status").asInt()).isEqualTo(403);

		String anonymous = requestId();
		assertThat(anonymousApi().withHeaders(Map.of("X-Request-Id", anonymous))
			.post("/brain/versions/42/activate", Map.of())
			.status()).isEqualTo(401);
		JsonNode unauthorized = entry(anonymous);
		assertThat(unauthorized.get("actor").asText()).isEqualTo("anonymous");
		assertThat(unauthorized.get("action").asText()).isEqualTo("versions.activate");
		assertThat(unauthorized.get("target").asText()).isEqualTo("version=42");
		assertThat(unauthorized.get("status").asInt()).isEqualTo(401);

		String webhook = requestId();
		int unsigned = anonymousApi().withHeaders(Map.of("X-Request-Id", webhook))
			.post("/brain/webhook", Map.of())
			.status();
		assertThat(unsigned).isIn(400, 401);
		assertThat(entry(webhook).get("actor").asText()).isEqualTo("webhook");
		assertThat(entry(webhook).get("outcome").asText()).isEqualTo("refused");
		assertThat(entry(webhook).get("action").asText()).isEqualTo("webhook");

		long building = createVersion("none");
		String conflict = requestId();
		int status = api(conflict).post("/brain/versions/" + building + "/activate", Map.of()).status();
		assertThat(status).isIn(409, 422);
		assertThat(entry(conflict).get("outcome").asText()).isEqualTo("refused");
		assertThat(entry(conflict).get("status").asInt()).isEqualTo(status);
	}

	@Test
	void systemActionsPublishedAsEventsAreRecordedAsTheSystems() {
		String detail = unique("nightly");
		this.events.publishEvent(AuditEvent.system("backups.create", null, detail));
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			this.trail.flush();
			return this.jdbc.sql("select count(*) from brain_audit where detail = ?")
				.param(detail)
				.query(Long.class)
				.single() == 1;
		});
		JsonNode entry = api().get("/brain/audit?actor=system&action=backups.create&limit=500").json().get("entries");
		assertThat(entry.findValuesAsText("detail")).contains(detail);
	}

	@Test
	void onlyOperatorsReadTheTrailWhichPagesNewestFirst() {
		assertThat(readerApi().get("/brain/audit").status()).isEqualTo(403);
		assertThat(anonymousApi().get("/brain/audit").status()).isEqualTo(401);
		String label = unique("page");
		for (int i = 0; i < 3; i++) {
			api().post("/brain/versions", Map.of("label", label + i));
		}
		String last = requestId();
		api(last).post("/brain/versions", Map.of("label", label + "last"));
		entry(last);
		JsonNode first = api().get("/brain/audit?limit=2&actor=test-operator&action=versions.create").json();
		assertThat(first.get("entries")).hasSize(2);
		assertThat(first.get("entries").get(0).get("requestId").asText()).isEqualTo(last);
		long before = first.get("next").asLong();
		JsonNode second = api().get("/brain/audit?limit=2&actor=test-operator&action=versions.create&before=" + before)
			.json();
		assertThat(second.get("entries").get(0).get("id").asLong()).isLessThan(before);
		assertThat(api().get("/brain/audit?limit=0").status()).isEqualTo(400);
		assertThat(api().get("/brain/audit?limit=5000").status()).isEqualTo(400);
	}

	@Test
	void theTrailIsAppendOnlyButForRetention() {
		String old = unique("old");
		this.clock.advance(Duration.ofDays(-400));
		this.events.publishEvent(AuditEvent.system("test.old", null, old));
		this.trail.flush();
		this.clock.reset();
		String recent = unique("recent");
		this.events.publishEvent(AuditEvent.system("test.recent", null, recent));
		this.trail.flush();
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.sql("update brain_audit set actor = 'someone else'").update());
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.sql("delete from brain_audit where detail = ?").param(recent).update());
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.sql("truncate brain_audit").update());
		assertThat(this.retention.prune()).isPositive();
		assertThat(details()).contains(recent).doesNotContain(old);
	}

	@Test
	void recordingNeverFailsTheCallItRecordsAndCatchesUpWhenTheDatabaseIsBack() {
		CircuitBreaker breaker = this.breakers.circuitBreaker("auditWriter");
		breaker.transitionToForcedOpenState();
		String id = requestId();
		try {
			assertThat(api(id).post("/brain/versions", Map.of("label", unique("breaker"))).status()).isEqualTo(201);
			assertThat(this.jdbc.sql("select count(*) from brain_audit where request_id = ?")
				.param(id)
				.query(Long.class)
				.single()).isZero();
		}
		finally {
			breaker.transitionToClosedState();
		}
		assertThat(entry(id).get("action").asText()).isEqualTo("versions.create");
	}

	private List<String> details() {
		return this.jdbc.sql("select detail from brain_audit where detail is not null").query(String.class).list();
	}

	private void assertRecorded(Api.Response response, String requestId, String action, String target, String outcome) {
		JsonNode entry = entry(requestId);
		assertThat(entry.get("action").asText()).as(response.toString()).isEqualTo(action);
		assertThat(entry.get("outcome").asText()).as(response.toString()).isEqualTo(outcome);
		assertThat(entry.get("status").asInt()).isEqualTo(response.status());
		assertThat(entry.get("actor").asText()).isEqualTo("test-operator");
		if (target != null) {
			assertThat(entry.get("target").asText()).isEqualTo(target);
		}
	}

	/** The entry of the request, read through {@code GET /brain/audit} once written. */
	private JsonNode entry(String requestId) {
		Long id = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			this.trail.flush();
			return this.jdbc.sql("select id from brain_audit where request_id = ?")
				.param(requestId)
				.query(Long.class)
				.optional()
				.orElse(null);
		}, (found) -> found != null);
		JsonNode page = api().get("/brain/audit?limit=1&before=" + (id + 1)).json().get("entries");
		assertThat(page).hasSize(1);
		assertThat(page.get(0).get("requestId").asText()).isEqualTo(requestId);
		return page.get(0);
	}

	private Api api(String requestId) {
		return api().withHeaders(Map.of("X-Request-Id", requestId));
	}

	private static String requestId() {
		return "audit-" + UUID.randomUUID();
	}

}
