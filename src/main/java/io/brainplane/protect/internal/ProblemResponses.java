package io.brainplane.protect.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.RequestIdFilter;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes problem+json straight to the response, for refusals made in filters before
 * Spring MVC (and its exception handling) is reached.
 */
public final class ProblemResponses {

	private final ObjectMapper json;

	ProblemResponses(ObjectMapper json) {
		this.json = json;
	}

	void write(HttpServletResponse response, HttpStatus status, String slug, String title, String detail)
			throws IOException {
		ProblemDetail problem = BrainProblem.problem(status, slug, title, detail);
		String requestId = MDC.get(RequestIdFilter.MDC_KEY);
		if (requestId != null) {
			problem.setProperty("requestId", requestId);
		}
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
