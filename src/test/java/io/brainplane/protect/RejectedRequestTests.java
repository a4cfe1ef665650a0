package io.brainplane.protect;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.brainplane.support.Api;
import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests Tomcat refuses before any filter or servlet sees them (a request line or
 * headers past its limits, a malformed request line) get a problem+json 400, and leave no
 * stack trace in the log: Tomcat logged the first of them at INFO with its whole stack.
 */
@ExtendWith(OutputCaptureExtension.class)
class RejectedRequestTests extends IntegrationTest {

	@Test
	void aRequestLineTooLargeGetsAProblemAndNoStackTrace(CapturedOutput output) {
		int before = output.getAll().length();
		Api.Response response = readerApi().get("/brain/search?q=" + "a".repeat(20_000));

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").asText()).isEqualTo("https://brainplane.dev/problems/bad-request");
		assertThat(response.json().get("detail").asText()).contains("rejected before it was read");
		assertNoStackTrace(output, before);
	}

	@Test
	void aMalformedRequestLineGetsAProblemAndNoStackTrace(CapturedOutput output) throws IOException {
		int before = output.getAll().length();
		String answer = raw("GET /brain/search?q=a\u0001b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("bad-request");
		assertNoStackTrace(output, before);
	}

	private String raw(String request) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	/**
	 * What was logged since {@code before} (the shared context may start in this test).
	 */
	private static void assertNoStackTrace(CapturedOutput output, int before) {
		assertThat(output.getAll().substring(before)).doesNotContain("Exception").doesNotContain("\tat org.apache");
	}

}
