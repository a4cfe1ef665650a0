package io.brainplane.platform.internal;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import io.brainplane.platform.BrainProblem;

/**
 * Tomcat's last word on a request it refused before any servlet saw it (a request line or
 * headers too large, a malformed request): problem+json instead of Tomcat's HTML page.
 * Installed as the host's error report valve by {@link ProblemWebServerCustomizer}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String detail = (status >= 500) ? "The request failed unexpectedly."
				: "The request was rejected before it was read (too large or malformed request line or headers).";
		String slug = (status >= 500) ? "internal-error" : "bad-request";
		String body = "{\"type\":\"" + BrainProblem.TYPE_BASE + slug + "\",\"title\":\"Request rejected\",\"status\":"
				+ status + ",\"detail\":\"" + detail + "\"}";
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding("utf-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response was committed meanwhile: nothing to do.
		}
	}

}
