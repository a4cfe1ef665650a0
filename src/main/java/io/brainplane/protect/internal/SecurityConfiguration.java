package io.brainplane.protect.internal;

import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brainplane.platform.PlatformProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what. {@code /brain/health} is public and the webhook authenticates by its
 * signature; a reader may search, give feedback and read everything under {@code /brain}
 * but backups and the audit trail; everything else under {@code /brain} needs an
 * operator. Paths outside {@code /brain} (the error page, the actuator on the management
 * port, which is cluster-internal) are not guarded here. Stateless: no sessions, no CSRF
 * (no cookies are ever issued), no login pages.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	private static final String READER = Role.READER.name();

	private static final String OPERATOR = Role.OPERATOR.name();

	@Bean
	ApiKeys apiKeys(SecurityProperties properties, Environment environment, PlatformProperties platform) {
		return new ApiKeyLoader(properties, environment, platform.dataDir()).load();
	}

	/** No username/password login exists; this also keeps Boot from generating one. */
	@Bean
	AuthenticationManager noPasswordLogins() {
		return (authentication) -> {
			throw new ProviderNotFoundException("Only API keys are accepted");
		};
	}

	/**
	 * No observations of Spring Security's own: by default every filter of the chain
	 * reports an event (a counter looked up by name and tags) and the chain, the
	 * authorization and its parts timers, for every request; that was a good part of the
	 * security filters' CPU on the search path (docs/performance.md). The request is
	 * still observed once, as {@code http.server.requests}, with its status.
	 */
	@Bean
	static SecurityObservationSettings noSecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Spring Security's filter chain without the handler lookup Spring Security puts in
	 * front of it when Spring MVC is present ({@code HandlerMappingIntrospector}'s cache
	 * filter): it finds every request's MVC handler ahead of the dispatcher, which finds
	 * it again, for {@code MvcRequestMatcher}s and CORS settings taken from MVC. This
	 * chain matches paths with {@code PathPatternRequestMatcher} and configures no CORS,
	 * so the lookup served nothing, at about 3 % of a search's CPU (docs/performance.md).
	 * A bean factory post-processor, so it runs after every registry post-processor,
	 * Spring Security's wrapping included; it puts back the chain the wrapper wraps.
	 */
	@Bean
	static BeanFactoryPostProcessor noHandlerLookupBeforeSecurity() {
		return (beanFactory) -> unwrapFilterChain((BeanDefinitionRegistry) beanFactory);
	}

	/**
	 * Takes the handler lookup out of Spring Security's filter chain, wherever Spring
	 * Security's wrappers put it (each wrapper holds a list of filter definitions, the
	 * last one the chain it wraps).
	 */
	static void unwrapFilterChain(BeanDefinitionRegistry registry) {
		String name = AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME;
		if (registry.containsBeanDefinition(name)) {
			BeanDefinition chain = registry.getBeanDefinition(name);
			BeanDefinition stripped = withoutHandlerLookup(chain);
			if (stripped != chain) {
				registry.removeBeanDefinition(name);
				registry.registerBeanDefinition(name, stripped);
			}
		}
	}

	private static BeanDefinition withoutHandlerLookup(BeanDefinition definition) {
		String type = definition.getBeanClassName();
		if (type == null || !type.endsWith("$CompositeFilterChainProxy")) {
			return definition;
		}
		ConstructorArgumentValues.ValueHolder argument = definition.getConstructorArgumentValues()
			.getIndexedArgumentValue(0, null);
		if (argument == null || !(argument.getValue() instanceof List<?> filters) || filters.size() != 2
				|| !(filters.get(1) instanceof BeanDefinition wrapped)) {
			return definition;
		}
		if (filters.get(0) instanceof BeanDefinition lookup && lookup.getBeanClassName() != null
				&& lookup.getBeanClassName().endsWith("$HandlerMappingIntrospectorCacheFilterFactoryBean")) {
			return withoutHandlerLookup(wrapped);
		}
		@SuppressWarnings("unchecked")
		List<Object> list = (List<Object>) filters;
		list.set(1, withoutHandlerLookup(wrapped));
		return definition;
	}

	@Bean
	RateLimiter rateLimiter(RateLimitProperties properties, DataSource dataSource) {
		return (properties.store() == RateLimitProperties.Store.POSTGRES) ? new PostgresRateLimiter(dataSource)
				: new MemoryRateLimiter(properties);
	}

	@Bean
	SecurityFilterChain brainSecurity(HttpSecurity http, ApiKeys keys, RateLimiter limiter,
			RateLimitProperties rateLimits, SecurityProperties properties, ObjectMapper objectMapper,
			MeterRegistry registry) throws Exception {
		ProblemResponses problems = new ProblemResponses(objectMapper);
		ApiKeyAuthenticationFilter authentication = new ApiKeyAuthenticationFilter(keys,
				rateLimits.trustForwardedFor());
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new RequestSizeFilter(properties.maxRequestBytes().toBytes(), problems),
					AnonymousAuthenticationFilter.class)
			.addFilterAfter(authentication, RequestSizeFilter.class)
			.addFilterAfter(new RateLimitFilter(limiter, rateLimits, problems, registry),
					ApiKeyAuthenticationFilter.class)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized(problems))
				.accessDeniedHandler(forbidden(problems)))
			.authorizeHttpRequests(
					(requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
						.permitAll()
						.requestMatchers(path(HttpMethod.GET, "/brain/health"), path(null, "/brain/webhook"))
						.permitAll()
						.requestMatchers(path(null, "/brain/backups/**"), path(null, "/brain/audit/**"))
						.hasRole(OPERATOR)
						.requestMatchers(path(HttpMethod.GET, "/brain/**"), path(HttpMethod.HEAD, "/brain/**"),
								path(HttpMethod.POST, "/brain/feedback"))
						.hasAnyRole(READER, OPERATOR)
						.requestMatchers(path(null, "/brain/**"), path(null, "/brain"))
						.hasRole(OPERATOR)
						.anyRequest()
						.permitAll());
		return http.build();
	}

	private static RequestMatcher path(HttpMethod method, String pattern) {
		return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
	}

	private static AuthenticationEntryPoint unauthorized(ProblemResponses problems) {
		return (request, response, exception) -> {
			boolean unknown = request.getAttribute(ApiKeyAuthenticationFilter.UNKNOWN_KEY) != null;
			response.setHeader("WWW-Authenticate", "Bearer");
			problems.write(response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					unknown ? "The API key is not known to this service"
							: "An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>");
		};
	}

	private static AccessDeniedHandler forbidden(ProblemResponses problems) {
		return (request, response, exception) -> {
			Authentication caller = SecurityContextHolder.getContext().getAuthentication();
			String name = (caller != null) ? caller.getName() : "anonymous";
			problems.write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
					describe(request) + " needs the operator role; the key '" + name + "' has the reader role");
		};
	}

	private static String describe(HttpServletRequest request) {
		String path = request.getRequestURI();
		return request.getMethod() + " " + ((path.length() <= 100) ? path : path.substring(0, 97) + "...");
	}

}
