package io.brainplane.protect.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tight Jackson read limits for request bodies: shallow nesting, short numbers and field
 * names. Strings stay long enough for a document's content (which the ingest module caps
 * itself). Unknown fields are rejected by
 * {@code spring.jackson.deserialization.fail-on-unknown-properties=true}.
 */
@Configuration(proxyBeanMethods = false)
public class JsonLimits {

	@Bean
	Jackson2ObjectMapperBuilderCustomizer jsonReadLimits(SecurityProperties properties) {
		StreamReadConstraints constraints = StreamReadConstraints.builder()
			.maxNestingDepth(properties.maxJsonDepth())
			.maxNumberLength(100)
			.maxNameLength(1000)
			.build();
		return (builder) -> builder
			.postConfigurer((mapper) -> mapper.getFactory().setStreamReadConstraints(constraints));
	}

}
