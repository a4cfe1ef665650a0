package io.brainplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Brainplane: a versioned, production-safe retrieval index for RAG applications.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class BrainplaneApplication {

	public static void main(String[] args) {
		SpringApplication.run(BrainplaneApplication.class, args);
	}

}
