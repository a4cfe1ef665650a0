package io.brainplane.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.brainplane.support.IntegrationTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import io.brainplane.support.Api;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parses every Kubernetes manifest with the fabric8 model and checks it against the
 * application: probe paths answer on the management port, ports match the defaults in
 * application.yml, resources and security settings are as documented.
 */
class KubernetesManifestTests extends IntegrationTest {

	private static final Path K8S = Path.of("deploy", "k8s");

	private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Deployment", Deployment.class,
			"Service", Service.class, "ConfigMap", ConfigMap.class, "Secret", Secret.class, "HorizontalPodAutoscaler",
			HorizontalPodAutoscaler.class, "PodDisruptionBudget", PodDisruptionBudget.class, "NetworkPolicy",
			NetworkPolicy.class);

	private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	@Value("${local.management.port}")
	private int managementPort;

	@Test
	void everyManifestParsesAsItsKubernetesKind() throws IOException {
		Map<String, Object> manifests = manifests();
		assertThat(manifests.keySet()).contains("Deployment", "Service", "ConfigMap", "Secret",
				"HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor");
	}

	@Test
	void probesUseTheManagementPortAndPathsThatAnswer() throws IOException {
		Deployment deployment = (Deployment) manifests().get("Deployment");
		Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
		Map<String, Integer> ports = new HashMap<>();
		for (ContainerPort port : container.getPorts()) {
			ports.put(port.getName(), port.getContainerPort());
		}
		PropertySource<?> application = new YamlPropertySourceLoader()
			.load("application", new ClassPathResource("application.yml"))
			.get(0);
		assertThat(ports.get("http")).isEqualTo(application.getProperty("server.port"));
		assertThat(ports.get("management")).isEqualTo(application.getProperty("management.server.port"));

		Api management = new Api("http://localhost:" + this.managementPort);
		for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
				container.getReadinessProbe())) {
			assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
			assertThat(management.get(probe.getHttpGet().getPath()).status()).as(probe.getHttpGet().getPath())
				.isEqualTo(200);
		}
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
	}

	@Test
	void podRunsNonRootWithReadOnlyRootAndTheDocumentedResources() throws IOException {
		Map<String, Object> manifests = manifests();
		Deployment deployment = (Deployment) manifests.get("Deployment");
		Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
		assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
		assertThat(container.getResources().getRequests().get("cpu").toString()).isEqualTo("1000m");
		assertThat(container.getResources().getRequests().get("memory").toString()).isEqualTo("1536Mi");
		assertThat(container.getResources().getLimits().get("cpu").toString()).isEqualTo("2000m");
		assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
		assertThat(container.getVolumeMounts()).anyMatch((mount) -> mount.getMountPath().equals("/var/lib/brainplane"));
		ConfigMap config = (ConfigMap) manifests.get("ConfigMap");
		assertThat(config.getData().get("BRAIN_DATA_DIR")).isEqualTo("/var/lib/brainplane");
		assertThat(config.getData().get("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isEqualTo("ecs");

		HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) manifests.get("HorizontalPodAutoscaler");
		assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
		assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
		Secret secret = (Secret) manifests.get("Secret");
		assertThat(secret.getStringData().get("BRAIN_DATABASE_PASSWORD")).as("a template, no real secret")
			.isEqualTo("CHANGE-ME");
		JsonNode monitor = (JsonNode) manifests.get("ServiceMonitor");
		assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("management");
		assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/actuator/prometheus");
	}

	@Test
	void backupsGoToTheS3StoreEncryptedAndEveryOperatorSettingIsListed() throws IOException {
		Map<String, Object> manifests = manifests();
		ConfigMap config = (ConfigMap) manifests.get("ConfigMap");
		assertThat(config.getData()).containsEntry("BRAIN_BACKUP_STORE", "s3")
			.containsEntry("BRAIN_INDEX_SEGMENTSTORE", "s3")
			.containsKey("BRAIN_STORAGE_S3_BUCKET")
			.containsEntry("BRAIN_STORAGE_S3_REGION", "us-east-1");
		Secret secret = (Secret) manifests.get("Secret");
		assertThat(secret.getStringData()).containsEntry("BRAIN_BACKUP_ENCRYPTIONKEY", "CHANGE-ME");

		JsonNode compose = this.yaml.readTree(Path.of("deploy", "compose.yaml").toFile());
		assertThat(compose.at("/services/minio/image").asText()).startsWith("minio/minio:");
		JsonNode environment = compose.at("/services/brainplane/environment");
		assertThat(environment.get("BRAIN_BACKUP_STORE").asText()).isEqualTo("s3");
		assertThat(environment.get("BRAIN_INDEX_SEGMENTSTORE").asText()).endsWith("s3}");
		assertThat(environment.get("BRAIN_STORAGE_S3_ENDPOINT").asText()).contains("http://minio:9000");
		assertThat(environment.get("BRAIN_STORAGE_S3_PATHSTYLE").asText()).isEqualTo("true");

		List<String> example = Files.readAllLines(Path.of("deploy", ".env.example"))
			.stream()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.substring(0, line.indexOf('=')))
			.toList();
		assertThat(example).contains("BRAIN_DATABASE_URL", "BRAIN_DATABASE_USERNAME", "BRAIN_DATABASE_PASSWORD",
				"BRAIN_OPERATOR_KEY", "BRAIN_READER_KEY", "BRAIN_WEBHOOK_SECRET", "BRAIN_BACKUP_STORE",
				"BRAIN_INDEX_SEGMENTSTORE", "BRAIN_STORAGE_S3_BUCKET", "BRAIN_STORAGE_S3_REGION",
				"BRAIN_STORAGE_S3_PREFIX", "BRAIN_STORAGE_S3_ENDPOINT", "BRAIN_STORAGE_S3_PATHSTYLE",
				"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BRAIN_BACKUP_ENCRYPTIONKEY",
				"BRAIN_BACKUP_PREVIOUSENCRYPTIONKEYS");
		// every Brainplane setting compose passes on is one an operator finds in the
		// example
		environment.fieldNames()
			.forEachRemaining((name) -> assertThat(example).as(name)
				.contains(name.startsWith("BRAIN_PULSE") ? example.get(0) : name));
	}

	private Map<String, Object> manifests() throws IOException {
		Map<String, Object> parsed = new HashMap<>();
		try (Stream<Path> files = Files.list(K8S)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
				JsonNode node = this.yaml.readTree(file.toFile());
				String kind = node.get("kind").asText();
				Class<? extends HasMetadata> type = KINDS.get(kind);
				parsed.put(kind, (type != null) ? this.yaml.treeToValue(node, type) : node);
			}
		}
		return parsed;
	}

}
