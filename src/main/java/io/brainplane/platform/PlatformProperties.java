package io.brainplane.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by every module.
 *
 * @param dataDir where this replica keeps its local state: the embedded database (when no
 * external one is configured), the local Lucene indexes and the generated operator key
 */
@ConfigurationProperties("brain")
public record PlatformProperties(@DefaultValue("./data") Path dataDir) {

	public Path indexDir() {
		return this.dataDir.resolve("index");
	}

}
