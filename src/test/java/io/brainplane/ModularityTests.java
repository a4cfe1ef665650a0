package io.brainplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTests {

	/** Checked in, rewritten by every build: a changed diagram shows up in the diff. */
	private static final Path DOCS = Path.of("docs", "modules");

	private final ApplicationModules modules = ApplicationModules.of(BrainplaneApplication.class);

	@Test
	void modulesHaveNoCyclesAndReachOnlyIntoEachOthersApi() {
		this.modules.verify();
	}

	@Test
	void everyFeaturePackageIsAModule() {
		assertThat(this.modules.stream().map(ApplicationModule::getIdentifier).map(Object::toString)).contains("index",
				"search", "ingest", "embed", "quality", "backup", "ops", "protect", "platform");
	}

	@Test
	void moduleDiagramAndCanvasesAreWrittenToDocs() throws IOException {
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder(DOCS.toString()))
			.writeModulesAsPlantUml()
			.writeModuleCanvases();
		String diagram = Files.readString(DOCS.resolve("components.puml"));
		// Modules without dependencies (console) have a canvas but no box in the diagram.
		assertThat(diagram).contains("@startuml", "Rel(", "Index", "Search", "Ingest", "Quality", "Backup", "Ops");
		this.modules
			.forEach((module) -> assertThat(DOCS.resolve("module-" + module.getIdentifier() + ".adoc")).exists());
	}

}
