package io.brainplane.platform;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A client-visible failure rendered as RFC 9457 problem+json with a stable type URI
 * ({@code https://brainplane.dev/problems/<slug>}). Modules subclass it or call the
 * factories so that every error names what went wrong in {@code detail}.
 */
public class BrainProblem extends ErrorResponseException {

	/** Prefix of every problem type URI. */
	public static final String TYPE_BASE = "https://brainplane.dev/problems/";

	public BrainProblem(HttpStatus status, String slug, String title, String detail) {
		this(status, slug, title, detail, new HttpHeaders());
	}

	public BrainProblem(HttpStatus status, String slug, String title, String detail, HttpHeaders headers) {
		super(status, problem(status, slug, title, detail), null);
		getHeaders().addAll(headers);
	}

	/**
	 * A problem body with the house type URI.
	 */
	public static ProblemDetail problem(HttpStatus status, String slug, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + slug));
		problem.setTitle(title);
		return problem;
	}

	/**
	 * 400 with the offending fields listed in {@code errors}.
	 */
	public static BrainProblem invalid(List<FieldProblem> errors) {
		String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
				: errors.size() + " fields are invalid: " + errors.get(0).field() + ": " + errors.get(0).message()
						+ (errors.size() > 1 ? "; ..." : "");
		BrainProblem problem = new BrainProblem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
		problem.getBody().setProperty("errors", List.copyOf(errors));
		return problem;
	}

	public static BrainProblem invalid(String field, String message) {
		return invalid(List.of(new FieldProblem(field, message)));
	}

	public static BrainProblem notFound(String slug, String detail) {
		return new BrainProblem(HttpStatus.NOT_FOUND, slug, "Not found", detail);
	}

	public static BrainProblem conflict(String slug, String detail) {
		return new BrainProblem(HttpStatus.CONFLICT, slug, "Conflict", detail);
	}

	/**
	 * One entry of a validation problem's {@code errors} array.
	 */
	public record FieldProblem(String field, String message) {
	}

}
