package io.brainplane.ingest;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.TestKeys;
import io.brainplane.support.Webhooks;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;
import io.brainplane.ingest.internal.WebhookDeliveries;
import io.brainplane.ingest.internal.WebhookProperties;
import io.brainplane.ingest.internal.WebhookSweeper;

import static io.brainplane.ingest.BadInputTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookTests extends IntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Autowired
	private WebhookDeliveries deliveries;

	@Autowired
	private WebhookSweeper sweeper;

	@Test
	void aSignedDeliveryCreatesSealsAndActivatesAVersionFromTheActiveOne() throws Exception {
		String kept = unique("kept");
		long base = sealedVersion("none",
				List.of(doc(kept, "Kept", "This document stays."), doc("drop-me", "Drop", "Gone soon.")));
		activate(base);
		String added = unique("added");
		String body = JSON.writeValueAsString(Map.of("label", "from the pipeline", "documents",
				List.of(doc(added, "Herons", "Herons stand still in shallow water.")), "deletes", List.of("drop-me"),
				"activate", true));
		String delivery = unique("delivery");
		Api.Response response = Webhooks.deliver(anonymousApi(), delivery, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		long version = response.json().get("version").asLong();
		assertThat(response.json().get("delivery").asText()).isEqualTo(delivery);
		assertThat(response.json().get("activated").asBoolean()).isTrue();
		// Counted against the webhook class, by client address (a delivery carries no
		// key).
		assertThat(response.header("X-RateLimit-Limit")).isEqualTo("100000");
		assertThat(response.header("X-RateLimit-Remaining")).isNotNull();
		JsonNode created = api().get("/brain/versions/" + version).json();
		assertThat(created.get("state").asText()).isEqualTo("ACTIVE");
		assertThat(created.get("parent").asLong()).isEqualTo(base);
		assertThat(created.get("label").asText()).isEqualTo("from the pipeline");
		assertThat(created.get("documentCount").asInt()).isEqualTo(2);
		assertThat(keys(version)).containsExactlyInAnyOrder(kept, added);
		assertThat(api().get("/brain/search?q=herons").header("X-Brain-Version")).isEqualTo(Long.toString(version));
		assertThat(api().get("/brain/activations?limit=1").json().get("activations").get(0).get("actor").asText())
			.isEqualTo("webhook");
	}

	@Test
	void aDeliveryWithoutActivateLeavesTheVersionReady() throws Exception {
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Owls", "Owls hunt at night.")), "activate", false));
		Api.Response response = Webhooks.deliver(anonymousApi(), unique("delivery"), body);
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		assertThat(response.json().get("activated").asBoolean()).isFalse();
		assertThat(api().get("/brain/versions/" + response.json().get("version").asLong()).json().get("state").asText())
			.isEqualTo("READY");
	}

	@Test
	void aRepeatedDeliveryIdIsAppliedOnceAndAnsweredWithTheFirstResult() throws Exception {
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Cranes", "Cranes dance in spring.")), "activate", true));
		String delivery = unique("delivery");
		Api.Response first = Webhooks.deliver(anonymousApi(), delivery, body);
		assertThat(first.status()).as(first.toString()).isEqualTo(202);
		long versions = count("brain_index");
		long activations = count("activation_log");
		Api.Response again = Webhooks.deliver(anonymousApi(), delivery, body);
		assertThat(again.status()).isEqualTo(202);
		assertThat(again.json()).isEqualTo(first.json());
		String other = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Other", "A different body.")), "activate", true));
		assertThat(Webhooks.deliver(anonymousApi(), delivery, other).json()).isEqualTo(first.json());
		assertThat(count("brain_index")).isEqualTo(versions);
		assertThat(count("activation_log")).isEqualTo(activations);
		assertThat(this.jdbc.sql("select count(*) from webhook_delivery where id = ?")
			.param(delivery)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aBadOrMissingSignatureIsUnauthorizedAndChangesNothing() throws Exception {
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Forged", "Forged content.")), "activate", true));
		long versions = count("brain_index");
		long deliveries = count("webhook_delivery");
		Api anonymous = anonymousApi();
		String delivery = unique("delivery");
		long now = Webhooks.now();
		String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
		for (String signature : List.of("", "v1,", "v1,!!!", "v2," + "A".repeat(43) + "=",
				Webhooks.signature(other, delivery, now, body),
				// signed for another body, another id, another time
				Webhooks.signature(TestKeys.WEBHOOK_SECRET, delivery, now, body + " "),
				Webhooks.signature(TestKeys.WEBHOOK_SECRET, delivery + "x", now, body),
				Webhooks.signature(TestKeys.WEBHOOK_SECRET, delivery, now - 1, body),
				// the body-only scheme of old
				"sha256=" + java.util.HexFormat.of().formatHex(new byte[32]))) {
			assertProblem(webhook(anonymous, Webhooks.headers(delivery, now, signature), body), 401,
					"webhook-signature");
		}
		assertProblem(anonymous.withHeaders(Map.of("webhook-id", delivery, "webhook-timestamp", Long.toString(now)))
			.send("POST", "/brain/webhook", body, "application/json"), 401, "webhook-signature");
		assertProblem(anonymous
			.withHeaders(Map.of("webhook-id", delivery, "webhook-signature",
					Webhooks.signature(TestKeys.WEBHOOK_SECRET, delivery, now, body)))
			.send("POST", "/brain/webhook", body, "application/json"), 400, "webhook-timestamp");
		assertThat(count("brain_index")).isEqualTo(versions);
		assertThat(count("webhook_delivery")).isEqualTo(deliveries);
		// The delivery id was not used up by the forgeries.
		assertThat(Webhooks.deliver(anonymous, delivery, body).status()).isEqualTo(202);
	}

	@Test
	void aReplayedBodyAndSignatureUnderANewIdIsRefused() throws Exception {
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Old", "The old content.")), "activate", true));
		String first = unique("delivery");
		long sentAt = Webhooks.now();
		String signature = Webhooks.signature(TestKeys.WEBHOOK_SECRET, first, sentAt, body);
		assertThat(webhook(anonymousApi(), Webhooks.headers(first, sentAt, signature), body).status()).isEqualTo(202);
		long versions = count("brain_index");
		long activations = count("activation_log");
		Api.Response replayed = webhook(anonymousApi(), Webhooks.headers(unique("delivery"), sentAt, signature), body);
		assertProblem(replayed, 401, "webhook-signature");
		assertThat(count("brain_index")).isEqualTo(versions);
		assertThat(count("activation_log")).isEqualTo(activations);
	}

	@Test
	void theTimestampMustBeWithinTheToleranceOfTheClock() throws Exception {
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Late", "Captured and sent later.")), "activate", false));
		long sentAt = Webhooks.now();
		String delivery = unique("delivery");
		Map<String, String> headers = Webhooks.headers(delivery, sentAt,
				Webhooks.signature(TestKeys.WEBHOOK_SECRET, delivery, sentAt, body));
		long versions = count("brain_index");
		this.clock.advance(Duration.ofMinutes(5).plusSeconds(30));
		assertProblem(webhook(anonymousApi(), headers, body), 401, "webhook-timestamp");
		this.clock.advance(Duration.ofMinutes(-11));
		assertProblem(webhook(anonymousApi(), headers, body), 401, "webhook-timestamp");
		assertThat(count("brain_index")).isEqualTo(versions);
		this.clock.advance(Duration.ofMinutes(10));
		// four and a half minutes late: within the default five
		assertThat(webhook(anonymousApi(), headers, body).status()).isEqualTo(202);
	}

	@Test
	void duringASecretRotationAnyOfSeveralSignaturesMayMatch() throws Exception {
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Rotated", "Signed twice.")), "activate", false));
		String delivery = unique("delivery");
		long now = Webhooks.now();
		String retired = "whsec_"
				+ java.util.Base64.getEncoder().encodeToString("an-older-secret-of-32-bytes-long".getBytes());
		String header = Webhooks.signature(retired, delivery, now, body) + " "
				+ Webhooks.signature(TestKeys.WEBHOOK_SECRET, delivery, now, body);
		Api.Response response = webhook(anonymousApi(), Webhooks.headers(delivery, now, header), body);
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
	}

	@Test
	void aDeliveryWhoseSealFailsLeavesNoVersionAndItsIdFreeForARetry() throws Exception {
		emptyBrain();
		// Deletes a key that is not there: the version would be empty, and the seal
		// refuses
		// it (422).
		String delivery = unique("delivery");
		String empty = JSON.writeValueAsString(Map.of("deletes", List.of("not-there"), "activate", true));
		assertProblem(Webhooks.deliver(anonymousApi(), delivery, empty), 422, "no documents");
		assertThat(count("brain_index")).isZero();
		assertThat(count("webhook_delivery where id = '" + delivery + "'")).isZero();
		assertProblem(Webhooks.deliver(anonymousApi(), delivery, empty), 422, "no documents");
		assertThat(count("brain_index")).as("a retry does not pile up versions").isZero();
		// The sender fixes the delivery and sends it again under the same id.
		String fixed = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Fixed", "Now with a document.")), "activate", true));
		Api.Response response = Webhooks.deliver(anonymousApi(), delivery, fixed);
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		assertThat(count("brain_index")).isEqualTo(1);
	}

	@Test
	void aRetryAfterAnAttemptThatDiedRedoesABuildingVersionAndNeverDoublesIt() throws Exception {
		String delivery = unique("delivery");
		// What a replica killed after creating the delivery's version leaves behind.
		long orphan = createVersion(null);
		this.jdbc.sql("insert into webhook_delivery (id, state, version) values (?, 'PENDING', ?)")
			.params(delivery, orphan)
			.update();
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Retried", "Delivered again.")), "activate", false));
		long versions = count("brain_index");
		Api.Response response = Webhooks.deliver(anonymousApi(), delivery, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		assertThat(response.json().get("version").asLong()).isNotEqualTo(orphan);
		assertThat(api().get("/brain/versions/" + orphan).status()).isEqualTo(404);
		assertThat(count("brain_index")).isEqualTo(versions);
		assertThat(Webhooks.deliver(anonymousApi(), delivery, body).json()).isEqualTo(response.json());
	}

	@Test
	void aRetryAfterAnAttemptThatDiedAfterTheSealResumesWithItsVersion() throws Exception {
		String delivery = unique("delivery");
		long sealed = sealedVersion("none", List.of(doc(unique("d"), "Sealed", "Sealed before the crash.")));
		this.jdbc.sql("insert into webhook_delivery (id, state, version) values (?, 'PENDING', ?)")
			.params(delivery, sealed)
			.update();
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Whatever", "Not applied again.")), "activate", true));
		long versions = count("brain_index");
		Api.Response response = Webhooks.deliver(anonymousApi(), delivery, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		assertThat(response.json().get("version").asLong()).isEqualTo(sealed);
		assertThat(response.json().get("activated").asBoolean()).isTrue();
		assertThat(count("brain_index")).isEqualTo(versions);
		assertThat(api().get("/brain/versions/" + sealed).json().get("state").asText()).isEqualTo("ACTIVE");
	}

	@Test
	void aDeliveryBeingAppliedIsNotAppliedAgainAndTheSweeperLeavesItAlone() throws Exception {
		String delivery = unique("delivery");
		long building = createVersion(null);
		this.jdbc.sql("insert into webhook_delivery (id, state, version) values (?, 'PENDING', ?)")
			.params(delivery, building)
			.update();
		String body = JSON.writeValueAsString(
				Map.of("documents", List.of(doc(unique("d"), "Busy", "In progress.")), "activate", false));
		try (WebhookDeliveries.Claim held = this.deliveries.claim(delivery)) {
			assertProblem(Webhooks.deliver(anonymousApi(), delivery, body), 409, "being applied");
			this.sweeper.sweep();
			assertThat(api().get("/brain/versions/" + building).status()).isEqualTo(200);
		}
		// Nobody holds it now: abandoned. The sweeper deletes what it left.
		assertThat(this.sweeper.sweep()).isGreaterThanOrEqualTo(1);
		assertThat(api().get("/brain/versions/" + building).status()).isEqualTo(404);
		assertThat(count("webhook_delivery where id = '" + delivery + "'")).isZero();
	}

	@Test
	void aMalformedSecretStopsStartUpWithAClearMessage() {
		for (String secret : List.of("plain-old-secret", "whsec_not base64!", "whsec_c2hvcnQ=")) {
			assertThatThrownBy(() -> new WebhookProperties(secret, DataSize.ofMegabytes(1), Duration.ofMinutes(5),
					Duration.ofMinutes(1)))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageStartingWith("brain.webhook.secret")
				.hasMessageNotContaining(secret);
		}
	}

	private static Api.Response webhook(Api api, Map<String, String> headers, String body) {
		return api.withHeaders(headers).send("POST", "/brain/webhook", body, "application/json");
	}

	@Test
	void anInvalidDeliveryIsBadRequestAndChangesNothing() throws Exception {
		long versions = count("brain_index");
		long deliveries = count("webhook_delivery");
		assertProblem(
				Webhooks.deliver(anonymousApi(), unique("delivery"),
						JSON.writeValueAsString(Map.of("documents", List.of(doc("", "No key", "text"))))),
				400, "documents[0].key");
		assertProblem(Webhooks.deliver(anonymousApi(), unique("delivery"), "{\"documents\": [], \"extra\": 1}"), 400,
				"extra");
		assertProblem(Webhooks.deliver(anonymousApi(), "", "{\"documents\": [{\"key\":\"a\",\"content\":\"b\"}]}"), 400,
				"webhook-id");
		assertThat(count("brain_index")).isEqualTo(versions);
		assertThat(count("webhook_delivery")).isEqualTo(deliveries);
	}

	@Test
	void withoutASecretTheWebhookDoesNotExist() throws Exception {
		try (SecondReplica other = SecondReplica.start(TestDatabase.get(), Files.createTempDirectory("nosecret"),
				"--brain.webhook.secret=")) {
			String body = "{\"documents\": [{\"key\":\"a\",\"content\":\"b\"}]}";
			assertProblem(Webhooks.deliver(other.anonymousApi(), unique("delivery"), body), 404,
					"brain.webhook.secret");
		}
	}

	private List<String> keys(long version) {
		return this.jdbc.sql("select document_key from version_member where version = ?")
			.param(version)
			.query(String.class)
			.list();
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

}
