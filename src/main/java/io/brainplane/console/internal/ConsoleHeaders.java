package io.brainplane.console.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers of the console's files: a Content-Security-Policy that allows only
 * this origin (no inline script, no eval, no third-party host, no framing), no referrer,
 * and revalidation on every load so an upgrade is seen at once. The API's own headers
 * (nosniff, frame denial) come from Spring Security.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleHeaders {

	static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> consoleSecurityHeaders() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {
					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						response.setHeader("Content-Security-Policy", POLICY);
						response.setHeader("Referrer-Policy", "no-referrer");
						response.setHeader("Cache-Control", "no-cache");
						chain.doFilter(request, response);
					}
				});
		registration.addUrlPatterns("/console", "/console/*");
		registration.setName("consoleHeaders");
		return registration;
	}

}
