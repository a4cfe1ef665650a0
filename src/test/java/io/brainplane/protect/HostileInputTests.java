package io.brainplane.protect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of hostile requests, generated from a fixed seed, against search, documents
 * and the webhook: each gets a normal answer or a 4xx problem, never a 500 and never a
 * slow one, and a refused request changes nothing.
 */
class HostileInputTests extends IntegrationTest {

	private static final Random RANDOM = new Random(20261123);

	private static final String HOSTILE = "\u0000\u0001\u001f\u007f\u200b\ufeff\ud83d\ude00*?~:\"()[]{}^\\/+-!&|<>'%;`$\n\r\t é漢";

	private static final Duration SLOW = Duration.ofSeconds(5);

	private static long building = -1;

	@BeforeEach
	void brainWithAnActiveAndABuildingVersion() {
		boolean active = this.jdbc.sql("select version is not null from active_pointer where id = 1")
			.query(Boolean.class)
			.single();
		if (!active) {
			activate(sealedVersion("none", List.of(doc(unique("h"), "Hostile", "Hostile input is handled."))));
		}
		boolean stillBuilding = this.jdbc
			.sql("select count(*) from brain_index where version = ? and state = 'BUILDING'")
			.param(building)
			.query(Long.class)
			.single() == 1;
		if (!stillBuilding) {
			building = createVersion("none");
		}
	}

	@ParameterizedTest(name = "search {0}")
	@MethodSource("searches")
	void hostileSearchesGetAResultOrAProblem(String query) {
		Api.Response response = timed(() -> readerApi().get("/brain/search?" + query));
		assertAnsweredSafely(response);
	}

	@ParameterizedTest(name = "documents {index}: {0}")
	@MethodSource("documentBodies")
	void hostileDocumentBatchesGetAResultOrAProblemAndARefusalStoresNothing(String label, String body,
			String contentType) {
		long members = members();
		long revisions = count("document_revision");
		Api.Response response = timed(
				() -> api().send("PUT", "/brain/versions/" + building + "/documents", body, contentType));
		assertAnsweredSafely(response);
		if (response.status() >= 400) {
			assertThat(members()).as("membership after " + response).isEqualTo(members);
			assertThat(count("document_revision")).isEqualTo(revisions);
		}
	}

	@ParameterizedTest(name = "webhook {index}: {0}")
	@MethodSource("webhookBodies")
	void hostileWebhookDeliveriesGetAResultOrAProblemAndARefusalStoresNothing(String label, String body,
			boolean signed) {
		long versions = count("brain_index");
		long deliveries = count("webhook_delivery");
		Api.Response response = timed(() -> signed ? Webhooks.deliver(anonymousApi(), unique("hostile"), body)
				: anonymousApi()
					.withHeaders(Webhooks.headers(unique("hostile"), Webhooks.now(), "v1," + "A".repeat(43) + "="))
					.send("POST", "/brain/webhook", body, "application/json"));
		assertAnsweredSafely(response);
		if (response.status() >= 400) {
			assertThat(count("brain_index")).as("versions after " + response).isEqualTo(versions);
			assertThat(count("webhook_delivery")).isEqualTo(deliveries);
		}
		if (!signed) {
			assertThat(response.status()).isEqualTo(401);
		}
	}

	static Stream<String> searches() {
		List<String> queries = new ArrayList<>();
		for (int c = 0; c < 0x20; c++) {
			queries.add("q=kiwi" + percent(c) + "bird");
		}
		queries.add("q=%7F");
		for (String syntax : List.of("*", "?", "~", ":", "\"", "(", ")", "[", "]", "{", "}", "^", "\\", "/",
				"AND OR NOT", "+-!", "&&", "||", "title:kiwi", "kiwi~2", "\"unbalanced", "((((", "*:*", "a*b?c",
				"kiwi^100", "[a TO z]", "{!lucene}kiwi", "field:[* TO *]", "/.*/", "\\\\\\")) {
			queries.add("q=" + java.net.URLEncoder.encode(syntax, java.nio.charset.StandardCharsets.UTF_8));
		}
		for (String bytes : List.of("%FF", "%C3%28", "%ED%A0%80", "%F8%88%80%80%80", "%80", "kiwi%FE%FF", "%C0%AF",
				"%E2%82")) {
			queries.add("q=" + bytes);
		}
		for (String k : List.of("99999999999999999999", "2147483648", "-1", "-2147483649", "0", "1e3", "0x10", "%205",
				"NaN", "", "101", "10.5", "%00", "1%0A")) {
			queries.add("q=kiwi&k=" + k);
		}
		for (String group : List.of("", "CHUNK", "document%00", "chunk,document", "%FF")) {
			queries.add("q=kiwi&group=" + group);
		}
		StringBuilder tenThousand = new StringBuilder();
		for (int i = 0; i < 10_000; i++) {
			tenThousand.append("t").append(i).append('+');
		}
		queries.add("q=" + tenThousand);
		queries.add("q=" + "a+".repeat(499) + "a");
		queries.add("q=" + "kiwi+".repeat(200));
		queries.add("q=a&q=b&q=c");
		queries.add("q=" + "%E6%BC%A2".repeat(333));
		for (int i = 0; i < 40; i++) {
			queries.add("q=" + java.net.URLEncoder.encode(randomHostile(1 + RANDOM.nextInt(60)),
					java.nio.charset.StandardCharsets.UTF_8));
		}
		return queries.stream();
	}

	static Stream<Arguments> documentBodies() {
		List<Arguments> cases = new ArrayList<>();
		String valid = "{\"documents\":[{\"key\":\"k1\",\"title\":\"T\",\"content\":\"Kiwis are birds.\",\"metadata\":{\"a\":1}}],\"deletes\":[\"gone\"]}";
		for (String body : hostileJson(valid)) {
			cases.add(Arguments.of(abbreviate(body), body, "application/json"));
		}
		for (String contentType : List.of("text/plain", "application/xml", "application/octet-stream",
				"application/json; charset=latin1", "multipart/form-data; boundary=x")) {
			cases.add(Arguments.of(contentType, valid, contentType));
		}
		for (String ndjson : List.of("{\"key\":\"a\"}\n", "[1,2]\n", "{\"key\":\"a\",\"content\":\"x\",\"y\":1}\n",
				"null\n", "\"str\"\n", "{\"key\":\"" + "\\u0000".repeat(3) + "\",\"content\":\"x\"}\n",
				"{".repeat(100) + "\n", "{\"key\":\"a\",\"content\":\"x\"}\n{\"key\":\"a\",\"content\":\"y\"}\n")) {
			cases.add(Arguments.of("ndjson " + abbreviate(ndjson), ndjson, "application/x-ndjson"));
		}
		return cases.stream();
	}

	static Stream<Arguments> webhookBodies() {
		List<Arguments> cases = new ArrayList<>();
		String valid = "{\"label\":\"hostile\",\"documents\":[{\"key\":\"w1\",\"content\":\"Webhook text.\"}],\"activate\":false}";
		List<String> bodies = hostileJson(valid);
		for (int i = 0; i < bodies.size(); i += 2) {
			cases.add(Arguments.of(abbreviate(bodies.get(i)), bodies.get(i), true));
		}
		for (int i = 0; i < 10; i++) {
			String body = bodies.get(RANDOM.nextInt(bodies.size()));
			cases.add(Arguments.of("unsigned " + abbreviate(body), body, false));
		}
		return cases.stream();
	}

	/**
	 * Bodies built around a valid one: truncations, broken structure, wrong types,
	 * unknown fields, deep nesting, huge numbers and names, hostile strings.
	 */
	private static List<String> hostileJson(String valid) {
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			bodies.add(valid.substring(0, RANDOM.nextInt(valid.length())));
		}
		for (int i = 0; i < 15; i++) {
			char[] chars = valid.toCharArray();
			chars[RANDOM.nextInt(chars.length)] = "{}[]\",:\\0x".charAt(RANDOM.nextInt(11));
			bodies.add(new String(chars));
		}
		bodies.addAll(List.of("", "null", "[]", "\"str\"", "123", "true", "{}", "{\"documents\":null}",
				"{\"documents\":\"str\"}", "{\"documents\":{}}", "{\"documents\":[1,2]}", "{\"documents\":[null]}",
				"{\"documents\":[[]]}", "{\"documents\":[{\"key\":5,\"content\":\"x\"}]}",
				"{\"documents\":[{\"key\":[],\"content\":\"x\"}]}", "{\"documents\":[{\"key\":\"a\",\"content\":{}}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":true}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\",\"extra\":1}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\"}],\"surprise\":{}}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\",\"metadata\":\"not an object\"}]}",
				"{\"documents\":[{\"key\":\"a\\u0000b\",\"content\":\"x\"}]}",
				"{\"documents\":[{\"key\":\"\\ud800\",\"content\":\"x\"}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"\\u0000\\u0000\"}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\",\"metadata\":{\"n\":" + "9".repeat(500) + "}}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\",\"metadata\":{\"" + "n".repeat(5000) + "\":1}}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\",\"metadata\":" + nested(40) + "}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\",\"metadata\":" + nested(5000) + "}]}",
				"{\"deletes\":[" + "\"d\",".repeat(1000) + "\"d\"]}", "{\"deletes\":[null]}", "{\"deletes\":[\"\"]}",
				"{\"activate\":\"yes\",\"documents\":[{\"key\":\"a\",\"content\":\"x\"}]}",
				"{\"label\":" + "\"" + "l".repeat(300) + "\",\"documents\":[{\"key\":\"a\",\"content\":\"x\"}]}",
				"{\"documents\":[{\"key\":\"a\",\"content\":\"x\"}]}garbage", "{\"documents\":[{\"key\":\"a\",,}]}",
				"\ufeff{\"documents\":[]}", "{'documents':[]}", "{\"documents\":[{\"key\":\"a\",\"content\":\"x\"}]"));
		for (int i = 0; i < 10; i++) {
			String key = randomHostile(1 + RANDOM.nextInt(20)).replace("\\", "\\\\").replace("\"", "\\\"");
			bodies.add("{\"documents\":[{\"key\":\"" + jsonEscapeControls(key) + "\",\"content\":\""
					+ jsonEscapeControls(randomHostile(30).replace("\\", "\\\\").replace("\"", "\\\"")) + "\"}]}");
		}
		return bodies;
	}

	private static String nested(int depth) {
		return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
	}

	private static String jsonEscapeControls(String value) {
		StringBuilder escaped = new StringBuilder();
		for (char c : value.toCharArray()) {
			escaped.append((c < 0x20) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
		}
		return escaped.toString();
	}

	private static String randomHostile(int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append(RANDOM.nextInt(3) == 0 ? (char) ('a' + RANDOM.nextInt(26))
					: HOSTILE.charAt(RANDOM.nextInt(HOSTILE.length())));
		}
		return text.toString();
	}

	private static String percent(int c) {
		return String.format("%%%02X", c);
	}

	private static String abbreviate(String body) {
		String printable = body.replaceAll("\\p{Cntrl}", "?");
		return printable.length() <= 60 ? printable : printable.substring(0, 57) + "...";
	}

	private static Api.Response timed(java.util.function.Supplier<Api.Response> call) {
		long started = System.nanoTime();
		Api.Response response = call.get();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time to answer").isLessThan(SLOW);
		return response;
	}

	private static void assertAnsweredSafely(Api.Response response) {
		assertThat(response.status()).as(response.toString()).isBetween(200, 499);
		if (response.status() >= 400) {
			assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
			JsonNode body = response.json();
			assertThat(body.get("type").asText()).startsWith("https://brainplane.dev/problems/");
			assertThat(body.get("status").asInt()).isEqualTo(response.status());
			assertThat(response.raw()).doesNotContain("Exception").doesNotContain("at io.");
		}
	}

	private long members() {
		return this.jdbc.sql("select count(*) from version_member where version = ?")
			.param(building)
			.query(Long.class)
			.single();
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

}
