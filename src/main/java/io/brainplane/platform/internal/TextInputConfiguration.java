package io.brainplane.platform.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Wires {@link io.brainplane.platform.TextRules} into the ways text enters over HTTP: the
 * JSON message converter reads request bodies with a copy of the application's
 * {@code ObjectMapper} whose parsers check every string and field name, and an
 * interceptor checks parameters and path variables. The application's own mapper is left
 * as it is, so data already stored (backups, metadata written before these rules) can
 * always be read back.
 */
@Configuration(proxyBeanMethods = false)
class TextInputConfiguration implements WebMvcConfigurer {

	@Bean
	MappingJackson2HttpMessageConverter textCheckingJsonConverter(ObjectMapper objectMapper) {
		TextCheckingJsonFactory factory = new TextCheckingJsonFactory(objectMapper.getFactory());
		return new MappingJackson2HttpMessageConverter(objectMapper.copyWith(factory));
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new TextParameterInterceptor()).addPathPatterns("/brain/**");
	}

}
