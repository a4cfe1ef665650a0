package io.brainplane.ops.internal;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 description served at {@code /v3/api-docs} (Swagger UI at
 * {@code /swagger-ui.html}) on the API port; committed as {@code docs/openapi.json}.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

	@Bean
	OpenAPI brainplaneOpenApi() {
		return new OpenAPI().info(new Info().title("Brainplane")
			.version("v1")
			.description("Versioned, production-safe retrieval index for RAG applications. Errors are "
					+ "application/problem+json (RFC 9457) with a stable type URI.")
			.license(new License().name("Proprietary")));
	}

}
