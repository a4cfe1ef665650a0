package io.brainplane.protect;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.brainplane.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import io.brainplane.protect.internal.RouteClass;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint under {@code /brain}, as Spring MVC maps it, falls in the route class of
 * its handler, whatever the method (HEAD as GET) and however its path is encoded.
 */
class RouteClassTests extends IntegrationTest {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping handlers;

	@Test
	void everyBrainEndpointFallsInTheClassOfItsHandlerHoweverItIsSpelt() {
		int checked = 0;
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.handlers.getHandlerMethods().entrySet()) {
			Set<RequestMethod> methods = mapping.getKey().getMethodsCondition().getMethods();
			for (String pattern : mapping.getKey().getPatternValues()) {
				if (!pattern.startsWith("/brain/")) {
					continue;
				}
				for (RequestMethod method : methods.isEmpty() ? EnumSet.allOf(RequestMethod.class) : methods) {
					RouteClass expected = expected(mapping.getValue(), method);
					String path = pattern.replaceAll("\\{[^}]+}", "7");
					assertThat(classify(method.name(), path)).as(method + " " + path).isEqualTo(expected);
					assertThat(classify(method.name(), encodeFirstLetters(path))).as(method + " encoded " + path)
						.isEqualTo(expected);
					if (method == RequestMethod.GET) {
						assertThat(classify("HEAD", path)).as("HEAD " + path).isEqualTo(expected);
					}
					checked++;
				}
			}
		}
		assertThat(checked).isGreaterThan(20);
		assertThat(classify("GET", "/brain/nothing-here")).isEqualTo(RouteClass.DEFAULT);
		assertThat(classify("PUT", "/brain/search")).isEqualTo(RouteClass.DEFAULT);
	}

	/** The class from the handler, independently of the path rules. */
	private static RouteClass expected(HandlerMethod handler, RequestMethod method) {
		String name = handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName();
		return switch (name) {
			case "SearchController.search", "QualityController.feedback" -> RouteClass.SEARCH;
			case "WebhookController.deliver" -> RouteClass.WEBHOOK;
			case "HealthController.health" -> RouteClass.HEALTH;
			default -> name.startsWith("WebhookController") ? RouteClass.WEBHOOK : RouteClass.DEFAULT;
		};
	}

	private static RouteClass classify(String method, String path) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		assertThat(RouteClass.isBrain(request)).as(path).isTrue();
		return RouteClass.of(request);
	}

	/** {@code /brain/search} as {@code /%62rain/%73earch}. */
	private static String encodeFirstLetters(String path) {
		StringBuilder encoded = new StringBuilder();
		for (String segment : path.substring(1).split("/")) {
			encoded.append('/').append(String.format("%%%02x", (int) segment.charAt(0))).append(segment.substring(1));
		}
		return encoded.toString();
	}

}
