package io.brainplane.audit.internal;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Registers the audit filter right after the request id filter and before Spring
 * Security's chain, so it sees every refusal and knows the request id.
 */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	@Bean
	FilterRegistrationBean<AuditFilter> auditFilter(AuditTrail trail,
			@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers) {
		FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(
				new AuditFilter(trail, new AuditActions(handlers)));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.addUrlPatterns("/brain/*");
		return registration;
	}

}
