package io.brainplane.ingest;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.SecondReplica;
import io.brainplane.support.TestDatabase;
import io.brainplane.support.Webhooks;
import org.junit.jupiter.api.Test;

import static io.brainplane.ingest.BadInputTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class WebhookTests extends IntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

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
		assertProblem(anonymous.withHeaders(Map.of("X-Brain-Delivery", delivery))
			.send("POST", "/brain/webhook", body, "application/json"), 401, "X-Brain-Signature");
		assertProblem(anonymous
			.withHeaders(Map.of("X-Brain-Delivery", delivery, "X-Brain-Signature", Webhooks.signature("wrong", body)))
			.send("POST", "/brain/webhook", body, "application/json"), 401, "X-Brain-Signature");
		assertProblem(anonymous.withHeaders(Map.of("X-Brain-Delivery", delivery, "X-Brain-Signature", "sha256=zz"))
			.send("POST", "/brain/webhook", body, "application/json"), 401, "X-Brain-Signature");
		// Signed for another body.
		assertProblem(anonymous
			.withHeaders(Map.of("X-Brain-Delivery", delivery, "X-Brain-Signature",
					Webhooks.signature(io.brainplane.support.TestKeys.WEBHOOK_SECRET, body + " ")))
			.send("POST", "/brain/webhook", body, "application/json"), 401, "X-Brain-Signature");
		assertThat(count("brain_index")).isEqualTo(versions);
		assertThat(count("webhook_delivery")).isEqualTo(deliveries);
		// The delivery id was not used up by the forgeries.
		assertThat(Webhooks.deliver(anonymous, delivery, body).status()).isEqualTo(202);
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
				"X-Brain-Delivery");
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
