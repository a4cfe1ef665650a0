package io.brainplane.platform.internal;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import io.brainplane.platform.BrainProblem;
import io.brainplane.platform.PayloadTooLargeException;
import io.brainplane.platform.RequestIdFilter;
import io.brainplane.platform.UnacceptableText;

/**
 * Turns every failure into problem+json with a house type URI and a detail a client can
 * act on. Messages that could leak internals (Jackson's class names, SQL, stack traces)
 * are replaced by plain descriptions.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	private static final Map<Integer, String> SLUGS = Map.of(400, "bad-request", 401, "unauthorized", 403, "forbidden",
			404, "not-found", 405, "method-not-allowed", 406, "not-acceptable", 409, "conflict", 413,
			"payload-too-large", 415, "unsupported-media-type", 503, "service-unavailable");

	@ExceptionHandler(BrainProblem.class)
	ResponseEntity<Object> brainProblem(BrainProblem ex, WebRequest request) {
		return handleExceptionInternal(ex, ex.getBody(), ex.getHeaders(), ex.getStatusCode(), request);
	}

	@ExceptionHandler(PayloadTooLargeException.class)
	ResponseEntity<Object> payloadTooLarge(PayloadTooLargeException ex, WebRequest request) {
		return handleExceptionInternal(ex, tooLarge(ex).getBody(), new HttpHeaders(), HttpStatus.PAYLOAD_TOO_LARGE,
				request);
	}

	static BrainProblem tooLarge(PayloadTooLargeException ex) {
		return new BrainProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
				"The request body is larger than the limit of " + ex.limit() + " bytes");
	}

	@ExceptionHandler({ CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
			TransientDataAccessException.class })
	ResponseEntity<Object> databaseUnavailable(Exception ex, WebRequest request) {
		log.warn("Database unavailable: {}", ex.getClass().getSimpleName());
		ProblemDetail body = BrainProblem.problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
				"Database unavailable", "The database cannot be reached right now; retry shortly.");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return handleExceptionInternal(ex, body, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
	}

	/**
	 * Spring Security's firewall refuses a parameter or header it finds unsafe when it is
	 * read; a client error, named without echoing the value.
	 */
	@ExceptionHandler(RequestRejectedException.class)
	ResponseEntity<Object> rejected(RequestRejectedException ex, WebRequest request) {
		BrainProblem problem = BrainProblem.invalid("request",
				"a parameter or header holds characters that are not allowed");
		return handleExceptionInternal(ex, problem.getBody(), new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		// The stack trace stays out of the error log line; it is there at DEBUG for
		// whoever
		// needs it.
		log.error("Unexpected failure ({}); request id {}", ex.getClass().getName(), MDC.get(RequestIdFilter.MDC_KEY));
		log.debug("Unexpected failure", ex);
		ProblemDetail body = BrainProblem.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The request failed unexpectedly; quote the request id when reporting it.");
		return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		BrainProblem problem = describeUnreadable(ex.getCause());
		return handleExceptionInternal(ex, problem.getBody(), headers, problem.getStatusCode(), request);
	}

	/** A path no route serves: named as the client sent it, not as a missing file. */
	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
				"No endpoint " + ex.getHttpMethod() + " /" + abbreviate(ex.getResourcePath()));
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String field = ex.getPropertyName() != null ? ex.getPropertyName() : "parameter";
		BrainProblem problem = BrainProblem.invalid(field,
				"'" + abbreviate(String.valueOf(ex.getValue())) + "' is not a valid value");
		return handleExceptionInternal(ex, problem.getBody(), headers, problem.getStatusCode(), request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ProblemDetail problem = (body instanceof ProblemDetail detail) ? detail
				: (ex instanceof ErrorResponse response) ? response.getBody() : ProblemDetail.forStatus(statusCode);
		decorate(problem, statusCode);
		return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
	}

	/**
	 * Gives a problem built elsewhere (Spring MVC, the error controller) the house type
	 * and the request id.
	 */
	static void decorate(ProblemDetail problem, HttpStatusCode status) {
		if (problem.getType() == null || URI.create("about:blank").equals(problem.getType())) {
			problem.setType(URI.create(BrainProblem.TYPE_BASE + SLUGS.getOrDefault(status.value(), "error")));
		}
		if (problem.getDetail() == null) {
			HttpStatus known = HttpStatus.resolve(status.value());
			problem.setDetail((known != null) ? known.getReasonPhrase() : "Request failed");
		}
		String requestId = MDC.get(RequestIdFilter.MDC_KEY);
		if (requestId != null) {
			problem.setProperty("requestId", requestId);
		}
	}

	static BrainProblem describeUnreadable(Throwable cause) {
		for (Throwable c = cause; c != null; c = c.getCause()) {
			if (c instanceof PayloadTooLargeException tooLarge) {
				return tooLarge(tooLarge);
			}
			if (c instanceof UnacceptableText text) {
				return text.toProblem("");
			}
			if (c instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
				return new BrainProblem(HttpStatus.BAD_REQUEST, "json-too-complex", "JSON too complex",
						"The body exceeds a JSON limit (nesting depth, number or name length)");
			}
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return BrainProblem.invalid(path(unknown),
					"unknown field '" + abbreviate(unknown.getPropertyName()) + "' (unknown fields are rejected)");
		}
		if (cause instanceof InvalidFormatException format) {
			return BrainProblem.invalid(path(format), "'" + abbreviate(String.valueOf(format.getValue()))
					+ "' is not a valid " + format.getTargetType().getSimpleName().toLowerCase());
		}
		if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			return BrainProblem.invalid(path(mismatch), "has the wrong JSON type");
		}
		if (cause instanceof JsonProcessingException json && json.getLocation() != null) {
			return new BrainProblem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON",
					"The body is not valid JSON (line " + json.getLocation().getLineNr() + ", column "
							+ json.getLocation().getColumnNr() + ")");
		}
		return new BrainProblem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON",
				"The request body is missing or is not valid JSON");
	}

	private static String path(JsonMappingException ex) {
		StringBuilder path = new StringBuilder();
		for (JsonMappingException.Reference ref : ex.getPath()) {
			if (ref.getFieldName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
			}
			else if (ref.getIndex() >= 0) {
				path.append('[').append(ref.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "body" : abbreviate(path.toString());
	}

	private static String abbreviate(String value) {
		String printable = value.replaceAll("\\p{Cntrl}", "?");
		return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
	}

}
