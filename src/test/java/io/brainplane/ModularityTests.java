package io.brainplane;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(BrainplaneApplication.class);

	@Test
	void modulesHaveNoCyclesAndReachOnlyIntoEachOthersApi() {
		this.modules.verify();
	}

	@Test
	void moduleDiagramIsWritten() {
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder("target/modulith-docs"))
			.writeModulesAsPlantUml();
	}

}
