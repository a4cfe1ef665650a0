package io.brainplane.platform;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.brainplane.support.Api;
import io.brainplane.support.Hits;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Property-based: arbitrary strings and JSON, from jqwik's generators driven by a fixed
 * seed (set {@code -Dbrain.fuzz.seed=N} to replay another; every failure message starts
 * with the seed and the request), sent to every endpoint. Properties: no 5xx; a refused
 * request leaves a fingerprint of every table a request writes synchronously unchanged;
 * and the search records keep up (every answered search is written, the queue drains).
 * Bounded by a time budget so it costs a few seconds in {@code verify}.
 */
class ArbitraryInputTests extends IntegrationTest {

	private static final long SEED = Long.getLong("brain.fuzz.seed", 20261127L);

	private static final Duration BUDGET = Duration.ofSeconds(15);

	private static final int MAX_REQUESTS = 600;

	/** Escapes every non-ASCII character, so lone surrogates reach the server as such. */
	private static final JsonMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

	@Autowired
	MeterRegistry registry;

	private final Random random = new Random(SEED);

	private RandomGenerator<String> strings;

	private RandomGenerator<Integer> choices;

	@Test
	void arbitraryInputAtEveryEndpointNeverFailsTheServerAndARefusalChangesNothing() throws Exception {
		// jqwik's generators outside a jqwik property: a session, and our seeded Random.
		JqwikSession.start();
		try {
			this.strings = text().generator(200);
			this.choices = Arbitraries.integers().between(0, 99).generator(100);
			run();
		}
		finally {
			JqwikSession.finish();
		}
	}

	private void run() {
		long active = activeVersion();
		long building = createVersion("none");
		List<String> answeredSearches = new ArrayList<>();
		List<Supplier<Call>> endpoints = endpoints(active, building);
		long deadline = System.nanoTime() + BUDGET.toNanos();
		int sent = 0;
		int refused = 0;
		while (sent < MAX_REQUESTS && System.nanoTime() < deadline) {
			Call call = endpoints.get(this.random.nextInt(endpoints.size())).get();
			String before = fingerprint();
			Api.Response response = call.send();
			sent++;
			String what = "seed " + SEED + ", request " + sent + ": " + call.description() + " -> " + response;
			assertThat(response.status()).as(what).isLessThan(500);
			if (response.status() >= 400) {
				refused++;
				assertThat(response.header("Content-Type")).as(what).startsWith("application/problem+json");
				assertThat(fingerprint()).as(what + " changed stored data").isEqualTo(before);
			}
			else if (call.description().startsWith("GET /brain/search")) {
				answeredSearches.add(response.json().get("queryId").asText());
			}
		}
		System.out.printf("ArbitraryInputTests: seed %d, %d requests, %d refused, %d searches answered%n", SEED, sent,
				refused, answeredSearches.size());
		assertThat(sent).as("seed " + SEED).isGreaterThan(50);
		assertThat(refused).as("seed " + SEED + ": the generators produce refusals").isPositive();
		assertThat(answeredSearches).as("seed " + SEED + ": and answered searches").isNotEmpty();
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(recorded(answeredSearches)).as("seed " + SEED + ": searches recorded")
				.isEqualTo(answeredSearches.size()));
		assertThat(this.registry.get("brain.hits.queue.depth").gauge().value()).isZero();
	}

	private List<Supplier<Call>> endpoints(long active, long building) {
		List<Supplier<Call>> endpoints = new ArrayList<>();
		endpoints.add(() -> get(readerApi(), "/brain/search?q=" + query() + "&k=" + maybeNumber() + "&mode="
				+ pick("", "lexical", "semantic", "hybrid", query()) + "&group=" + pick("chunk", "document", query())));
		endpoints.add(() -> get(readerApi(), "/brain/search?q=" + query()));
		endpoints.add(() -> body(readerApi(), "POST", "/brain/feedback",
				structuredOrArbitrary(Map.of("queryId", pick(string(), "00000000-0000-0000-0000-000000000000"),
						"relevant", this.random.nextBoolean(), "documentKey", string()))));
		endpoints.add(() -> body(api(), "POST", "/brain/versions",
				structuredOrArbitrary(Map.of("label", string(), "base", pick("none", "active", string())))));
		endpoints.add(() -> body(api(), "PUT", "/brain/versions/" + building + "/documents",
				structuredOrArbitrary(Map.of("documents", List.of(document())))));
		endpoints.add(() -> body(api(), "PUT", "/brain/eval-sets/" + segment(), structuredOrArbitrary(Map.of("queries",
				List.of(Map.of("q", string(), "relevant", List.of(string()))), "k", this.random.nextInt(200) - 50))));
		endpoints.add(() -> body(api(), "POST", "/brain/versions/" + segment() + "/activate",
				structuredOrArbitrary(Map.of("reason", string(), "force", this.random.nextBoolean()))));
		endpoints.add(() -> body(api(), "POST", "/brain/versions/" + building + "/activate",
				structuredOrArbitrary(Map.of("reason", string()))));
		endpoints.add(() -> body(api(), "POST", "/brain/versions/" + segment() + "/seal", arbitraryJson(2)));
		endpoints.add(() -> body(api(), "POST", "/brain/rollback",
				structuredOrArbitrary(Map.of("to", maybeNumber(), "reason", string()))));
		endpoints.add(() -> body(api(), "POST", "/brain/versions/" + active + "/evaluate?set=" + query(), null));
		endpoints.add(() -> get(readerApi(), "/brain/metrics?window=" + query()));
		endpoints.add(() -> get(readerApi(), "/brain/diff?from=" + query() + "&to=" + query()));
		endpoints.add(() -> get(readerApi(), "/brain/activations?limit=" + query()));
		endpoints.add(() -> get(readerApi(), "/brain/versions/" + segment()));
		endpoints.add(() -> get(readerApi(), "/brain/versions/" + segment() + "/jobs"));
		endpoints.add(() -> get(api(), "/brain/audit?limit=" + maybeNumber() + "&before=" + query() + "&actor="
				+ query() + "&action=" + query()));
		endpoints.add(() -> body(api(), "POST", "/brain/backups/" + segment() + "/verify", null));
		endpoints.add(() -> {
			String payload = structuredOrArbitrary(Map.of("label", string(), "documents", List.of(document()),
					"deletes", List.of(string()), "activate", false));
			String delivery = "fuzz-" + this.random.nextLong();
			return new Call("POST /brain/webhook " + payload,
					() -> Webhooks.deliver(anonymousApi(), delivery, payload));
		});
		return endpoints;
	}

	/** Short strings mixing ordinary text with the characters that cause trouble. */
	private static Arbitrary<String> text() {
		return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(12),
				Arbitraries.strings()
					.withCharRange('\u0000', '\u001f')
					.withChars("\ufffe\uffff\ufdd0\ud800\udfff")
					.ofMaxLength(4),
				Arbitraries.strings().alpha().numeric().withChars(" *?~:\"()[]{}^\\/+-!&|<>'%;`$").ofMaxLength(30),
				Arbitraries.strings().withCharRange('\u4e00', '\u9fff').ofMinLength(1).ofMaxLength(40),
				Arbitraries.of("otters", "kiwi bird", "", " ", "0", "-1", "9999999999999999999999", "null", "true",
						"..", "%00", "{}", "[]"));
	}

	private String string() {
		return this.strings.next(this.random).value();
	}

	private String query() {
		return URLEncoder.encode(string(), StandardCharsets.UTF_8);
	}

	private String segment() {
		String value = string();
		return value.isEmpty() ? "x" : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private String maybeNumber() {
		return (this.random.nextBoolean()) ? Integer.toString(this.random.nextInt(2000) - 500) : query();
	}

	private String pick(String... options) {
		return options[this.random.nextInt(options.length)];
	}

	private Map<String, Object> document() {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("key", string());
		document.put("title", string());
		document.put("content", string() + " " + string());
		if (this.random.nextBoolean()) {
			document.put("metadata", Map.of(string(), string()));
		}
		return document;
	}

	/**
	 * The body: mostly the endpoint's shape with arbitrary values, sometimes anything.
	 */
	private String structuredOrArbitrary(Object shaped) {
		int choice = this.choices.next(this.random).value();
		if (choice < 70) {
			return write(shaped);
		}
		if (choice < 90) {
			return arbitraryJson(3);
		}
		return string();
	}

	private String arbitraryJson(int depth) {
		return write(arbitraryValue(depth));
	}

	private Object arbitraryValue(int depth) {
		int kind = this.random.nextInt((depth > 0) ? 7 : 5);
		return switch (kind) {
			case 0 -> null;
			case 1 -> this.random.nextBoolean();
			case 2 -> this.random.nextLong();
			case 3 -> this.random.nextDouble() * 1e6;
			case 4 -> string();
			case 5 -> {
				List<Object> list = new ArrayList<>();
				for (int i = this.random.nextInt(4); i > 0; i--) {
					list.add(arbitraryValue(depth - 1));
				}
				yield list;
			}
			default -> {
				Map<String, Object> map = new LinkedHashMap<>();
				for (int i = this.random.nextInt(4); i > 0; i--) {
					map.put(pick("documents", "queries", "label", "key", "content", "q", string()),
							arbitraryValue(depth - 1));
				}
				yield map;
			}
		};
	}

	private static String write(Object value) {
		try {
			return ESCAPING.writeValueAsString(value);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Call get(Api api, String path) {
		return new Call("GET " + path, () -> api.get(path));
	}

	private static Call body(Api api, String method, String path, String body) {
		return new Call(method + " " + path + " " + body, () -> api.send(method, path, body, "application/json"));
	}

	/**
	 * What a request may change synchronously (background ingestion, recording and the
	 * audit trail move on their own, so their tables and columns are left out).
	 */
	private String fingerprint() {
		return this.jdbc
			.sql("""
					select concat_ws('|',
					  (select md5(coalesce(string_agg(concat_ws(',', version, label, state, parent, sealed_at, activated_at,
					                                            evaluation::text), ';' order by version), '')) from brain_index),
					  (select md5(coalesce(string_agg(m::text, ';' order by m::text), '')) from version_member m),
					  (select count(*) || ':' || coalesce(max(id), 0) from document_revision),
					  (select md5(coalesce(string_agg(a::text, ';' order by a::text), '')) from activation_log a),
					  (select md5(coalesce(string_agg(p::text, ';'), '')) from active_pointer p),
					  (select md5(coalesce(string_agg(e::text, ';' order by e::text), '')) from eval_set e),
					  (select count(*) from webhook_delivery),
					  (select count(*) from brain_backup))
					""")
			.query(String.class)
			.single();
	}

	private long activeVersion() {
		long active = this.jdbc.sql("select coalesce(max(version), -1) from active_pointer where id = 1")
			.query(Long.class)
			.single();
		if (active > 0) {
			return active;
		}
		long version = sealedVersion("none", List.of(doc(unique("fuzz"), "Otters", "Otters hold hands."),
				doc(unique("fuzz"), "Kiwi", "The kiwi bird cannot fly.")));
		activate(version);
		return version;
	}

	private long recorded(List<String> queryIds) {
		return Hits.recorded(this.jdbc, queryIds);
	}

	private record Call(String description, Supplier<Api.Response> request) {

		Api.Response send() {
			return this.request.get();
		}

		@Override
		public String description() {
			return (this.description.length() <= 300) ? this.description : this.description.substring(0, 297) + "...";
		}

	}

}
