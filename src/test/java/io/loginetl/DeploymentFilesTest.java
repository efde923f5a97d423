package io.loginetl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;


import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files hold what issue 5 asks of them (Dockerfile, compose, Kubernetes; Karaf in KarafFilesTest). None of them can
 * run here (no Docker engine, no cluster, no Karaf), so this reads them as their tools would and checks the
 * content, and its consistency with the application: ports, paths, names, the shutdown timeout.
 */
class DeploymentFilesTest {

    private static final Path K8S = Path.of("k8s");
    private static final int HTTP_PORT = 8080;

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void deploymentProbesLivenessAndReadinessOnTheManagementPort() {
        Map<String, Object> container = container();
        Object port = ((List<?>) container.get("ports")).stream().map(DeploymentFilesTest::map)
                .filter(p -> Integer.valueOf(HTTP_PORT).equals(p.get("containerPort"))).findFirst()
                .orElseThrow(() -> new AssertionError("no containerPort 8080")).get("name");
        assertProbe(container, "livenessProbe", "/observe/health/live", port);
        assertProbe(container, "readinessProbe", "/observe/health/ready", port);
        assertProbe(container, "startupProbe", "/observe/health/live", port);
    }

    @Test
    void deploymentHasResourcesRunsNonRootAndOutlastsTheDrain() throws IOException {
        Map<String, Object> container = container();
        Map<String, Object> resources = map(container.get("resources"));
        assertNotNull(map(resources.get("requests")).get("cpu"), "requests.cpu");
        assertNotNull(map(resources.get("requests")).get("memory"), "requests.memory");
        assertNotNull(map(resources.get("limits")).get("memory"), "limits.memory");

        Map<String, Object> pod = podSpec();
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"));
        assertEquals(dockerfileUid(), podSecurity.get("runAsUser"), "runAsUser is the image's USER");
        Map<String, Object> security = map(container.get("securityContext"));
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        // a read-only root needs a writable /tmp, from an emptyDir
        String tmpVolume = list(container.get("volumeMounts")).stream().map(DeploymentFilesTest::map)
                .filter(m -> "/tmp".equals(m.get("mountPath"))).map(m -> (String) m.get("name")).findFirst()
                .orElseThrow(() -> new AssertionError("no /tmp mount"));
        assertTrue(list(pod.get("volumes")).stream().map(DeploymentFilesTest::map)
                .anyMatch(v -> tmpVolume.equals(v.get("name")) && v.containsKey("emptyDir")), "/tmp is an emptyDir");

        assertTrue(((Number) pod.get("terminationGracePeriodSeconds")).intValue() > shutdownTimeoutSeconds(),
                "terminationGracePeriodSeconds must exceed camel.main.shutdown-timeout");
        assertEquals("login-etl", pod.get("serviceAccountName"));
        assertTrue(k8s("serviceaccount.yaml").stream().anyMatch(d -> "ServiceAccount".equals(d.get("kind"))
                && "login-etl".equals(map(d.get("metadata")).get("name"))));
    }

    @Test
    void deploymentTakesTheKeysFromTheSecretAndTheRestFromTheConfigMap() {
        Map<String, Object> secret = only(k8s("secret.yaml"), "Secret");
        String secretName = (String) map(secret.get("metadata")).get("name");
        Map<String, Object> secretData = map(secret.get("stringData"));
        List<Map<String, Object>> env = list(container().get("env")).stream().map(DeploymentFilesTest::map).toList();
        for (String key : List.of("PII_MASKING_KEY", "PII_VAULT_KEY", "DB_PASSWORD")) {
            assertTrue(secretData.containsKey(key), "Secret has " + key);
            Map<String, Object> var = env.stream().filter(e -> key.equals(e.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("Deployment has no env " + key));
            assertFalse(var.containsKey("value"), key + " must not be a literal");
            Map<String, Object> ref = map(map(var.get("valueFrom")).get("secretKeyRef"));
            assertEquals(secretName, ref.get("name"), key);
            assertEquals(key, ref.get("key"));
        }
        // the real Secret is never applied from the repository, so kustomize must not list the template
        assertFalse(list(kustomization().get("resources")).contains("secret.yaml"));

        Map<String, Object> configData = map(only(k8s("configmap.yaml"), "ConfigMap").get("data"));
        for (String key : List.of("SQS_QUEUE", "SQS_DEAD_LETTER_QUEUE", "AWS_REGION", "DB_URL", "DB_USER")) {
            assertTrue(configData.containsKey(key), "ConfigMap has " + key);
        }
        for (String key : List.of("PII_MASKING_KEY", "PII_VAULT_KEY", "DB_PASSWORD")) {
            assertFalse(configData.containsKey(key), key + " is a secret, not ConfigMap data");
        }
        String configName = (String) map(only(k8s("configmap.yaml"), "ConfigMap").get("metadata")).get("name");
        assertTrue(list(container().get("envFrom")).stream().map(DeploymentFilesTest::map)
                .anyMatch(e -> e.containsKey("configMapRef") && configName.equals(map(e.get("configMapRef")).get("name"))));
    }

    @Test
    void podsAreScrapedForPrometheusMetrics() {
        Map<String, Object> annotations = map(map(map(map(deployment().get("spec")).get("template")).get("metadata"))
                .get("annotations"));
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(HTTP_PORT), annotations.get("prometheus.io/port"));
        assertEquals("/observe/metrics", annotations.get("prometheus.io/path"));
    }

    @Test
    void kedaScalesTheDeploymentOnTheDepthOfTheSourceQueue() {
        List<Map<String, Object>> docs = k8s("keda.yaml");
        Map<String, Object> scaled = only(docs, "ScaledObject");
        assertEquals("keda.sh/v1alpha1", scaled.get("apiVersion"));
        Map<String, Object> spec = map(scaled.get("spec"));
        assertEquals(map(deployment().get("metadata")).get("name"), map(spec.get("scaleTargetRef")).get("name"));
        int min = ((Number) spec.get("minReplicaCount")).intValue();
        int max = ((Number) spec.get("maxReplicaCount")).intValue();
        assertTrue(min >= 0 && max > Math.max(min, 1), "scales out: " + min + ".." + max);

        Map<String, Object> config = map(only(k8s("configmap.yaml"), "ConfigMap").get("data"));
        Map<String, Object> trigger = list(spec.get("triggers")).stream().map(DeploymentFilesTest::map)
                .filter(t -> "aws-sqs-queue".equals(t.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no aws-sqs-queue trigger"));
        Map<String, Object> metadata = map(trigger.get("metadata"));
        assertTrue(((String) metadata.get("queueURL")).endsWith("/" + config.get("SQS_QUEUE")),
                "queueURL names the queue the pods consume: " + metadata.get("queueURL"));
        assertEquals(config.get("AWS_REGION"), metadata.get("awsRegion"));
        // KEDA wants metadata values as strings
        assertTrue(Integer.parseInt((String) metadata.get("queueLength")) > 0);

        String authName = (String) map(trigger.get("authenticationRef")).get("name");
        Map<String, Object> auth = only(docs, "TriggerAuthentication");
        assertEquals(authName, map(auth.get("metadata")).get("name"));
        assertTrue(String.valueOf(map(map(auth.get("spec")).get("podIdentity")).get("provider")).startsWith("aws"));
        assertFalse(spec.containsKey("replicas"));
        assertFalse(map(deployment().get("spec")).containsKey("replicas"), "KEDA owns the replica count");
    }

    @Test
    void kustomizationListsExistingManifests() {
        List<Object> resources = list(kustomization().get("resources"));
        for (String needed : List.of("deployment.yaml", "configmap.yaml", "keda.yaml", "serviceaccount.yaml")) {
            assertTrue(resources.contains(needed), "kustomization lists " + needed);
        }
        for (Object resource : resources) {
            assertTrue(Files.isRegularFile(K8S.resolve((String) resource)), resource + " exists");
        }
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeBringsUpSqsPostgresWithTheDdlAndTheAppFromTheDockerfile() throws IOException {
        Map<String, Object> services = map(yaml(Path.of("docker-compose.yml")).get(0).get("services"));
        Map<String, Object> sqs = map(services.get("sqs"));
        assertTrue(((String) sqs.get("image")).startsWith("localstack/"));
        assertTrue(list(sqs.get("volumes")).stream().anyMatch(v -> ((String) v).startsWith("./docker/localstack-create-queues.sh:")));

        Map<String, Object> postgres = map(services.get("postgres"));
        assertTrue(((String) postgres.get("image")).startsWith("postgres:"));
        String ddl = list(postgres.get("volumes")).stream().map(String.class::cast)
                .filter(v -> v.contains(":/docker-entrypoint-initdb.d/")).findFirst()
                .orElseThrow(() -> new AssertionError("no DDL mounted into postgres"));
        assertTrue(Files.readString(Path.of(ddl.substring(0, ddl.indexOf(':')))).contains("user_logins"));

        Map<String, Object> app = map(services.get("login-etl"));
        assertEquals(".", app.get("build"));
        assertTrue(list(app.get("ports")).contains("127.0.0.1:" + HTTP_PORT + ":" + HTTP_PORT));
        // published on the host's loopback only: the database, SQS and /observe/* are not the network's
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Object ports = map(service.getValue()).get("ports");
            for (Object port : ports == null ? List.of() : list(ports)) {
                assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), service.getKey() + " publishes " + port + " on every interface");
            }
        }
        assertTrue(list(app.get("volumes")).containsAll(List.of("./routes:/app/routes:ro",
                "./application.properties:/app/application.properties:ro")), "routes and settings stay editable");
        assertTrue(String.join(" ", list(map(app.get("healthcheck")).get("test")).stream().map(String::valueOf).toList())
                .contains("/observe/health"));
        Map<String, Object> dependsOn = map(app.get("depends_on"));
        for (String service : List.of("sqs", "postgres")) {
            assertEquals("service_healthy", map(dependsOn.get(service)).get("condition"), service);
        }
        String grace = (String) app.get("stop_grace_period");
        assertTrue(Integer.parseInt(grace.replace("s", "")) > shutdownTimeoutSeconds(), "stop_grace_period " + grace);
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileIsMultiStageAndRunsOnAJreAsNonRoot() throws IOException {
        List<String> lines = dockerfile();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertTrue(froms.size() >= 2, "multi-stage: " + froms);
        String runtime = froms.get(froms.size() - 1);
        assertTrue(runtime.contains("-jre"), "runtime stage on a JRE: " + runtime);
        List<String> runtimeStage = lines.subList(lines.indexOf(runtime), lines.size());
        assertTrue(runtimeStage.stream().anyMatch(l -> l.startsWith("COPY --from=") && l.contains("login-etl.jar")));
        assertTrue(dockerfileUid() > 0, "USER is not root");
        String entrypoint = runtimeStage.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        assertTrue(entrypoint.startsWith("ENTRYPOINT [\"java\""), "exec form, so SIGTERM reaches the JVM: " + entrypoint);
        assertTrue(entrypoint.contains("\"-jar\", \"login-etl.jar\"") && entrypoint.contains("MaxRAMPercentage"));
        assertTrue(runtimeStage.contains("EXPOSE " + HTTP_PORT));
        assertTrue(runtimeStage.contains("WORKDIR /app"), "the jar reads ./routes and ./application.properties");
        assertTrue(Files.readAllLines(Path.of(".dockerignore")).contains("target/"));
    }

    @Test
    void theImageIsBuiltFromTheRuntimeModuleAloneNeverFromTheTools() throws IOException {
        List<String> lines = dockerfile();
        String build = lines.stream().filter(l -> l.startsWith("RUN ") && l.contains("./mvnw")).findFirst().orElseThrow();
        assertTrue(build.contains("-f runtime.pom.xml") && build.contains(" package"), build);
        assertTrue(lines.stream().filter(l -> l.startsWith("COPY ")).noneMatch(l -> l.contains("tools")), lines.toString());
    }

    // ---------------------------------------------------------------- helpers

    private static void assertProbe(Map<String, Object> container, String probe, String path, Object port) {
        Map<String, Object> http = map(map(container.get(probe)).get("httpGet"));
        assertEquals(path, http.get("path"), probe);
        assertEquals(port, http.get("port"), probe + " on the 8080 port");
    }

    private static int shutdownTimeoutSeconds() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            properties.load(in);
        }
        return Integer.parseInt(properties.getProperty("camel.main.shutdown-timeout").trim());
    }

    private static List<String> dockerfile() throws IOException {
        // join continuation lines, drop comments
        String joined = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\\n", " ");
        return joined.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static int dockerfileUid() throws IOException {
        List<String> lines = dockerfile();
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("Dockerfile has no USER")).substring(5).trim();
        String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (!uid.matches("\\d+")) {
            fail("USER must be numeric so runAsNonRoot can verify it: " + user);
        }
        return Integer.parseInt(uid);
    }

    private static Map<String, Object> deployment() {
        return only(k8s("deployment.yaml"), "Deployment");
    }

    private static Map<String, Object> podSpec() {
        return map(map(map(deployment().get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> container() {
        List<Object> containers = list(podSpec().get("containers"));
        assertEquals(1, containers.size());
        return map(containers.get(0));
    }

    private static Map<String, Object> kustomization() {
        return only(k8s("kustomization.yaml"), "Kustomization");
    }

    private static List<Map<String, Object>> k8s(String file) {
        try {
            return yaml(K8S.resolve(file));
        } catch (IOException e) {
            throw new AssertionError("cannot read k8s/" + file, e);
        }
    }

    private static List<Map<String, Object>> yaml(Path file) throws IOException {
        Load load = new Load(LoadSettings.builder().setLabel(file.toString()).build());
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : load.loadAllFromString(Files.readString(file))) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    private static Map<String, Object> only(List<Map<String, Object>> docs, String kind) {
        List<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertNotNull(o, "missing mapping");
        assertTrue(o instanceof Map, "not a mapping: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertNotNull(o, "missing list");
        assertTrue(o instanceof List, "not a list: " + o);
        return (List<Object>) o;
    }
}
