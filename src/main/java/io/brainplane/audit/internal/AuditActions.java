package io.brainplane.audit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Names the action of a request after the endpoint that serves it, so every endpoint,
 * present or future, has one without being listed anywhere: the literal segments of its
 * path pattern below {@code /brain}, joined with dots, then a verb from the method:
 * {@code create} for a POST to a collection or an item ({@code POST /brain/versions} is
 * {@code versions.create}), {@code put}, {@code delete}, {@code update} (PATCH). A POST
 * to a singular word is that word alone, as it names the action itself ({@code POST
 * /brain/versions/{version}/seal} is {@code versions.seal}, {@code POST
 * /brain/rollback} is {@code rollback}). Requests refused before Spring MVC saw them
 * (401, 403) are matched here the same way; a path no endpoint serves is {@code unknown}.
 * <p>
 * The target is the endpoint's path variables followed by the query parameters its
 * handler declares, each with the value the request gave or else the handler's default,
 * so a restore reads {@code id=12,scope=version,version=7} and a restore that named no
 * scope {@code id=12,scope=all}: what the call acted on, as the handler understood it.
 * Boolean flags ({@code confirm}) say how, not on what, and are left out.
 */
final class AuditActions {

	private static final int MAX_TARGET = 300;

	private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

	private final RequestMappingHandlerMapping handlers;

	AuditActions(RequestMappingHandlerMapping handlers) {
		this.handlers = handlers;
	}

	/** The action and target of a finished request. */
	Named name(HttpServletRequest request) {
		String pattern = pattern(request);
		if (pattern == null) {
			return new Named("unknown", shorten(request.getRequestURI()));
		}
		return new Named(action(request.getMethod(), pattern),
				target(request, request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)));
	}

	@Nullable
	private String pattern(HttpServletRequest request) {
		if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
			return pattern;
		}
		try {
			// Refused before the dispatcher ran: find the handler it would have run.
			HandlerExecutionChain chain = this.handlers.getHandler(request);
			if (chain != null
					&& request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String p) {
				return p;
			}
		}
		catch (Exception ex) {
			// No handler takes this method or media type: not an endpoint.
		}
		return null;
	}

	static String action(String method, String pattern) {
		String[] segments = pattern.replaceFirst("^/brain/?", "").split("/");
		List<String> literals = new ArrayList<>();
		boolean lastIsVariable = false;
		for (String segment : segments) {
			if (segment.isEmpty()) {
				continue;
			}
			lastIsVariable = segment.startsWith("{");
			if (!lastIsVariable) {
				literals.add(segment);
			}
		}
		String base = String.join(".", literals);
		String verb = switch (method) {
			case "POST" -> (!lastIsVariable && !literals.isEmpty() && !isCollection(literals.get(literals.size() - 1)))
					? null : "create";
			case "PUT" -> "put";
			case "DELETE" -> "delete";
			case "PATCH" -> "update";
			default -> method.toLowerCase();
		};
		return (verb == null) ? base : base.isEmpty() ? verb : base + "." + verb;
	}

	private static boolean isCollection(String literal) {
		return literal.endsWith("s");
	}

	@Nullable
	static String target(HttpServletRequest request, @Nullable Object handler) {
		StringJoiner target = new StringJoiner(",");
		if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
			variables.forEach((name, value) -> target.add(name + "=" + value));
		}
		if (handler instanceof HandlerMethod method) {
			String[] names = NAMES.getParameterNames(method.getMethod());
			for (MethodParameter parameter : method.getMethodParameters()) {
				RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
				Class<?> type = parameter.getParameterType();
				if (param == null || type == boolean.class || type == Boolean.class) {
					continue;
				}
				String name = !param.name().isEmpty() ? param.name() : !param.value().isEmpty() ? param.value()
						: (names != null) ? names[parameter.getParameterIndex()] : null;
				if (name == null) {
					continue;
				}
				String value = request.getParameter(name);
				if ((value == null || value.isEmpty()) && !ValueConstants.DEFAULT_NONE.equals(param.defaultValue())) {
					value = param.defaultValue();
				}
				if (value != null) {
					target.add(name + "=" + value);
				}
			}
		}
		return (target.length() == 0) ? null : shorten(target.toString());
	}

	private static String shorten(String text) {
		return (text.length() <= MAX_TARGET) ? text : text.substring(0, MAX_TARGET - 3) + "...";
	}

	record Named(String action, @Nullable String target) {
	}

}
