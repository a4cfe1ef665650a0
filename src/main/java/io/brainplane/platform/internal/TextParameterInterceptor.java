package io.brainplane.platform.internal;

import java.util.Map;

import io.brainplane.platform.TextRules;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Applies {@link TextRules} to the text a request carries outside its body: query (and
 * form) parameters, their names, and the path variables of the handler that serves it.
 * Runs before the handler, so a refused request reaches no service and no database; the
 * problem handler renders the 400.
 */
final class TextParameterInterceptor implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		for (Map.Entry<String, String[]> parameter : unwrapped(request).getParameterMap().entrySet()) {
			String name = parameter.getKey();
			if (TextRules.violation(name) != null) {
				TextRules.require("a parameter name", name);
			}
			for (String value : parameter.getValue()) {
				TextRules.require(shown(name), value);
			}
		}
		if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
			for (Map.Entry<?, ?> variable : variables.entrySet()) {
				TextRules.require(String.valueOf(variable.getKey()), String.valueOf(variable.getValue()));
			}
		}
		return true;
	}

	/**
	 * The container's request under Spring Security's firewall wrapper, whose own
	 * parameter check throws without naming the parameter; these rules name it.
	 */
	private static ServletRequest unwrapped(ServletRequest request) {
		ServletRequest inner = request;
		while (inner instanceof ServletRequestWrapper wrapper) {
			inner = wrapper.getRequest();
		}
		return inner;
	}

	private static String shown(String name) {
		return (name.length() <= 80) ? name : name.substring(0, 77) + "...";
	}

}
