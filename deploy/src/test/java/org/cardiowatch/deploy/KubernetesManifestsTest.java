package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cardiowatch.schemas.topics.Topic;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under deploy/kubernetes read as Kubernetes objects (fabric8's model): probes on
 * the services' real health endpoints and ports, a KafkaTopic for every topic the code uses, the
 * autoscalers, budgets and policies pointing at workloads that exist, every secret referenced
 * declared, and the generated files the same as a fresh generation.
 */
class KubernetesManifestsTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path FOLDER = REPOSITORY.resolve("deploy/kubernetes");
    /** The health endpoints SmallRye Health serves in every service. */
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static List<HasMetadata> objects;
    /** The kustomization's patches (partial objects applied to the others): file → its objects. */
    private static Map<String, List<HasMetadata>> patches;

    @BeforeAll
    static void readEveryManifest() throws IOException {
        objects = new ArrayList<>();
        patches = new java.util.TreeMap<>();
        Set<String> patchFiles = new HashSet<>();
        java.util.regex.Matcher patch = java.util.regex.Pattern.compile("(?m)^\\s*- path: (\\S+)\\s*$")
                .matcher(Files.readString(FOLDER.resolve("kustomization.yaml")));
        while (patch.find()) {
            patchFiles.add(patch.group(1));
        }
        try (Stream<Path> files = Files.walk(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = FOLDER.relativize(file).toString();
                if (patchFiles.contains(name)) {
                    patches.put(name, documents(Files.readString(file)));
                } else if (!name.equals("kustomization.yaml")) {
                    objects.addAll(documents(Files.readString(file)));
                }
            }
        }
    }

    @Test
    void shouldKeepTheProcessorsStateOnAPersistentVolumePerInstance() {
        assertThat(patches.keySet(), equalTo(Set.of("processor-state.yaml", "alerts-https-only.yaml")));
        StatefulSet patch = (StatefulSet) patches.get("processor-state.yaml").get(0);
        StatefulSet processor = ofType(StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals(patch.getMetadata().getName())).findFirst().orElseThrow();
        Container container = processor.getSpec().getTemplate().getSpec().getContainers().get(0);
        String stateDir = container.getEnv().stream().filter(e -> e.getName().equals("CW_STATE_DIR")).findFirst()
                .orElseThrow().getValue();
        String mounted = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(stateDir))
                .findFirst().orElseThrow().getName();
        assertThat("the claim replaces the volume mounted at CW_STATE_DIR",
                patch.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName(), equalTo(mounted));
        assertThat("and the patch deletes the generated emptyDir of that name",
                patch.getSpec().getTemplate().getSpec().getVolumes().get(0).getName(), equalTo(mounted));
        assertThat(patch.getSpec().getVolumeClaimTemplates().get(0).getSpec().getAccessModes(),
                equalTo(List.of("ReadWriteOnce")));
    }

    @Test
    void shouldProbeEachServiceOnItsRealHealthEndpointsAndPort() {
        List<String> workloads = new ArrayList<>();
        for (HasMetadata object : objects) {
            PodTemplateSpec template = object instanceof Deployment d ? d.getSpec().getTemplate()
                    : object instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
            if (template == null || !object.getMetadata().getName().matches("cw-(ingest|processor|alerts)")) {
                continue;
            }
            workloads.add(object.getMetadata().getName());
            Container container = template.getSpec().getContainers().get(0);
            Set<Integer> ports = new HashSet<>();
            container.getPorts().forEach(p -> ports.add(p.getContainerPort()));
            for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe())) {
                assertThat(object.getMetadata().getName() + " has its probes", probe, notNullValue());
                assertThat(probe.getHttpGet().getPath(), is(in(HEALTH_PATHS)));
                assertThat("probes the port the container listens on", probe.getHttpGet().getPort().getIntVal(),
                        is(in(ports)));
            }
            assertThat(container.getLivenessProbe().getHttpGet().getPath(), equalTo("/q/health/live"));
            assertThat(container.getReadinessProbe().getHttpGet().getPath(), equalTo("/q/health/ready"));
            assertThat("resource requests set", container.getResources().getRequests().keySet(),
                    org.hamcrest.Matchers.hasItems("cpu", "memory"));
            assertThat("listens beyond localhost, or the probes fail",
                    container.getEnv().stream().anyMatch(e -> e.getName().equals("HTTP_HOST") && e.getValue().equals("0.0.0.0")),
                    is(true));
        }
        assertThat(workloads, org.hamcrest.Matchers.containsInAnyOrder("cw-ingest", "cw-processor", "cw-alerts"));
    }

    @Test
    void shouldDeclareAKafkaTopicForEveryTopicTheCodeUses() {
        Map<String, GenericKubernetesResource> declared = new java.util.HashMap<>();
        objects.stream().filter(o -> o.getKind().equals("KafkaTopic")).map(GenericKubernetesResource.class::cast)
                .forEach(t -> declared.put((String) ((Map<?, ?>) t.getAdditionalProperties().get("spec")).get("topicName"), t));
        for (Topic<?, ?> topic : Topics.all()) {
            assertThat(topic.name() + " has a KafkaTopic", declared.get(topic.name()), notNullValue());
            Map<?, ?> spec = (Map<?, ?>) declared.get(topic.name()).getAdditionalProperties().get("spec");
            Map<?, ?> config = (Map<?, ?>) spec.get("config");
            assertThat(topic.name() + " is compacted exactly when the registry says so",
                    "compact".equals(config.get("cleanup.policy")), is(topic.compacted()));
            assertThat(((Number) spec.get("partitions")).intValue(), is(KubernetesManifests.PARTITIONS));
            assertThat(((Number) spec.get("replicas")).intValue(), is(3));
        }
        assertThat("the audit trail is never deleted by retention",
                ((Map<?, ?>) ((Map<?, ?>) declared.get(Topics.AUDIT.name()).getAdditionalProperties().get("spec"))
                        .get("config")).get("retention.ms").toString(), equalTo("-1"));
        assertThat("no topic the code does not know", declared.keySet(),
                everyItem(is(in(Topics.all().stream().map(Topic::name).toList()))));
    }

    @Test
    void shouldPointAutoscalersBudgetsAndPoliciesAtWorkloadsThatExist() {
        Set<String> workloads = new HashSet<>();
        Set<Map<String, String>> podLabels = new HashSet<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment d) {
                workloads.add("Deployment/" + d.getMetadata().getName());
                podLabels.add(d.getSpec().getTemplate().getMetadata().getLabels());
            } else if (object instanceof StatefulSet s) {
                workloads.add("StatefulSet/" + s.getMetadata().getName());
                podLabels.add(s.getSpec().getTemplate().getMetadata().getLabels());
            }
        }
        List<HorizontalPodAutoscaler> autoscalers = ofType(HorizontalPodAutoscaler.class);
        assertThat(autoscalers.size(), is(3));
        autoscalers.forEach(h -> assertThat(h.getSpec().getScaleTargetRef().getKind() + "/"
                + h.getSpec().getScaleTargetRef().getName(), is(in(workloads))));
        List<PodDisruptionBudget> budgets = ofType(PodDisruptionBudget.class);
        assertThat("a budget for each service", budgets.stream().map(b -> b.getMetadata().getName())
                .toList(), org.hamcrest.Matchers.containsInAnyOrder("cw-ingest", "cw-processor", "cw-alerts"));
        budgets.forEach(b -> assertThat(b.getMetadata().getName() + " selects pods",
                podLabels.stream().anyMatch(l -> l.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet())),
                is(true)));
        List<String> policed = new ArrayList<>();
        ofType(NetworkPolicy.class).forEach(p -> {
            Map<String, String> selector = p.getSpec().getPodSelector().getMatchLabels();
            if (selector != null && !selector.isEmpty()) {
                policed.add(selector.get("app.kubernetes.io/name"));
                assertThat(p.getMetadata().getName() + " selects pods",
                        podLabels.stream().anyMatch(l -> l.entrySet().containsAll(selector.entrySet())), is(true));
            }
        });
        assertThat("a default deny, then a policy per workload", policed,
                org.hamcrest.Matchers.hasItems("cw-ingest", "cw-processor", "cw-alerts", "cw-influxdb"));
        assertThat(ofType(NetworkPolicy.class).stream().map(p -> p.getMetadata().getName()).toList(), hasItem("default-deny"));
    }

    @Test
    void shouldDeclareEverySecretTheWorkloadsReadAndHoldNoRealValue() {
        Set<String> declared = new HashSet<>(strimziSecrets());
        declared.addAll(certificateSecrets().keySet());
        ofType(Secret.class).forEach(s -> {
            declared.add(s.getMetadata().getName());
            assertThat(s.getMetadata().getName() + " holds placeholders only", s.getStringData().values(),
                    everyItem(org.hamcrest.Matchers.matchesPattern("<[^>]+>")));
        });
        Set<String> referenced = new HashSet<>();
        for (HasMetadata object : objects) {
            PodTemplateSpec template = object instanceof Deployment d ? d.getSpec().getTemplate()
                    : object instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
            if (template == null) {
                continue;
            }
            template.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
                    .forEach(v -> referenced.add(v.getSecret().getSecretName()));
            template.getSpec().getContainers().forEach(c -> c.getEnvFrom().stream().filter(e -> e.getSecretRef() != null)
                    .forEach(e -> referenced.add(e.getSecretRef().getName())));
            template.getSpec().getContainers().forEach(c -> c.getEnv().stream()
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .forEach(e -> referenced.add(e.getValueFrom().getSecretKeyRef().getName())));
        }
        assertThat(referenced, not(empty()));
        assertThat("every secret a workload reads is declared or made by Strimzi", referenced, everyItem(is(in(declared))));
    }

    @Test
    void shouldConnectEachServiceToKafkaWithMutualTlsAsItsOwnKafkaUser() {
        Set<String> kafkaUsers = new HashSet<>(objects.stream().filter(o -> o.getKind().equals("KafkaUser"))
                .map(o -> o.getMetadata().getName()).toList());
        List<String> kafkaClients = new ArrayList<>(KubernetesManifests.SERVICES.keySet().stream()
                .map(KubernetesManifestsTest::workloadName).toList());
        for (String service : kafkaClients) {
            PodTemplateSpec template = Stream.concat(
                    ofType(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(service))
                            .map(d -> d.getSpec().getTemplate()),
                    ofType(StatefulSet.class).stream().filter(st -> st.getMetadata().getName().equals(service))
                            .map(st -> st.getSpec().getTemplate()))
                    .findFirst().orElseThrow(() -> new AssertionError("no workload " + service));
            assertThat(service + " has a KafkaUser of its own", kafkaUsers, hasItem(service));
            String userVolume = template.getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("kafka-" + service))
                    .map(io.fabric8.kubernetes.api.model.Volume::getName).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " mounts no secret kafka-" + service));
            Container container = template.getSpec().getContainers().get(0);
            String mountPath = container.getVolumeMounts().stream().filter(m -> m.getName().equals(userVolume))
                    .map(io.fabric8.kubernetes.api.model.VolumeMount::getMountPath).findFirst().orElseThrow();
            List<String> values = container.getEnv().stream().map(io.fabric8.kubernetes.api.model.EnvVar::getValue)
                    .filter(java.util.Objects::nonNull).toList();
            assertThat(service + " reads its client certificate from the KafkaUser's secret", values,
                    hasItem(mountPath + "/user.p12"));
            assertThat(service + " trusts the cluster's authority", values, hasItem(org.hamcrest.Matchers.endsWith("/ca.p12")));
        }
    }

    /**
     * Devices connect to the ingest instances themselves, through one load balancer: it must reach
     * every instance's MQTT port, each instance must listen there with the broker certificate and
     * the device authority from its secret, and its network policy must let devices in.
     */
    @Test
    void shouldOfferEveryIngestToDevicesThroughTheLoadBalancer() {
        StatefulSet ingest = ofType(StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals("cw-ingest"))
                .findFirst().orElseThrow(() -> new AssertionError("no StatefulSet cw-ingest"));
        io.fabric8.kubernetes.api.model.Service devices = ofType(io.fabric8.kubernetes.api.model.Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("cw-mqtt")).findFirst()
                .orElseThrow(() -> new AssertionError("no Service cw-mqtt for devices"));
        assertThat(devices.getSpec().getType(), equalTo("LoadBalancer"));
        assertThat("it selects the ingest instances", devices.getSpec().getSelector().entrySet(),
                everyItem(in(ingest.getSpec().getTemplate().getMetadata().getLabels().entrySet())));
        int target = devices.getSpec().getPorts().get(0).getTargetPort().getIntVal();
        Container container = ingest.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat("the ingest listens where the load balancer sends devices",
                container.getPorts().stream().map(io.fabric8.kubernetes.api.model.ContainerPort::getContainerPort).toList(),
                hasItem(target));
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        for (String store : List.of("CARDIOWATCH_INGEST_BROKER_KEY_STORE", "CARDIOWATCH_INGEST_BROKER_TRUST_STORE")) {
            String path = env.get(store);
            assertThat(store + " is set", path, notNullValue());
            assertThat(store + " is a file of a mounted volume", container.getVolumeMounts().stream()
                    .anyMatch(m -> path.startsWith(m.getMountPath() + "/")), is(true));
        }
        NetworkPolicy policy = ofType(NetworkPolicy.class).stream().filter(p -> p.getMetadata().getName().equals("cw-ingest"))
                .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy cw-ingest"));
        assertThat("devices may reach the MQTT port from anywhere", policy.getSpec().getIngress().stream()
                .anyMatch(rule -> (rule.getFrom() == null || rule.getFrom().isEmpty()) && rule.getPorts().stream()
                        .anyMatch(port -> port.getPort().getIntVal() == target)), is(true));
    }

    /**
     * The dashboard and its API over HTTPS only, end to end: the pod serves HTTPS with the key store
     * cert-manager writes, opens no plain port once patched, is probed over HTTPS, and the Ingress
     * re-encrypts to it.
     */
    @Test
    void shouldServeTheAlertsServiceOverHttpsOnlyFromThePodToTheBrowser() {
        StatefulSet alerts = ofType(StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals("cw-alerts"))
                .findFirst().orElseThrow();
        Container container = alerts.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, io.fabric8.kubernetes.api.model.EnvVar> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e));
        assertThat("no plain HTTP in the pod", env.get("CW_INSECURE_REQUESTS").getValue(), equalTo("disabled"));
        String keyStore = env.get("CW_TLS_KEY_STORE").getValue();
        io.fabric8.kubernetes.api.model.VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> keyStore.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        String secret = alerts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow().getSecret().getSecretName();
        GenericKubernetesResource certificate = certificateSecrets().get(secret);
        assertThat("a cert-manager Certificate writes " + secret, certificate, notNullValue());
        assertThat("as the PKCS12 key store the service opens", keyStore, endsWith("/keystore.p12"));
        assertThat(certificate.get("spec", "keystores", "pkcs12", "create"), equalTo(true));
        assertThat("under the password the service is given",
                certificate.get("spec", "keystores", "pkcs12", "passwordSecretRef", "name"),
                equalTo(env.get("CW_TLS_KEY_STORE_PASSWORD").getValueFrom().getSecretKeyRef().getName()));
        for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())) {
            assertThat(probe.getHttpGet().getScheme(), equalTo("HTTPS"));
            assertThat(probe.getHttpGet().getPort().getIntVal(), is(8443));
        }

        // fabric8's model drops kustomize's $patch directives: read as text.
        String patch = readQuietly(FOLDER.resolve("alerts-https-only.yaml"));
        assertThat("the generated plain ports are deleted", patch, org.hamcrest.Matchers.matchesPattern(
                "(?s).*- port: 80\\s+\\$patch: delete.*- containerPort: 8080\\s+\\$patch: delete.*"));
        io.fabric8.kubernetes.api.model.Service service = ofType(io.fabric8.kubernetes.api.model.Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("cw-alerts")).findFirst().orElseThrow();
        List<String> kept = new ArrayList<>();
        service.getSpec().getPorts().stream().filter(p -> p.getPort() != 80)
                .forEach(p -> kept.add(p.getName() + " " + p.getPort() + "->" + p.getTargetPort().getIntVal()));
        assertThat("what the Service offers once patched", kept, equalTo(List.of("https 443->8443")));

        io.fabric8.kubernetes.api.model.networking.v1.Ingress ingress = ofType(
                io.fabric8.kubernetes.api.model.networking.v1.Ingress.class).get(0);
        assertThat(ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/backend-protocol"),
                equalTo("HTTPS"));
        assertThat(ingress.getSpec().getTls(), not(empty()));
        assertThat("the browser's certificate is issued too", certificateSecrets().keySet(),
                hasItem(ingress.getSpec().getTls().get(0).getSecretName()));
        io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend backend = ingress.getSpec().getRules().get(0)
                .getHttp().getPaths().get(0).getBackend().getService();
        assertThat(backend.getName() + " " + backend.getPort().getName(), equalTo("cw-alerts https"));
        NetworkPolicy policy = ofType(NetworkPolicy.class).stream().filter(p -> p.getMetadata().getName().equals("cw-alerts"))
                .findFirst().orElseThrow();
        assertThat("the ingress controller may reach the HTTPS port", policy.getSpec().getIngress().get(0).getPorts().stream()
                .map(p -> p.getPort().getIntVal()).toList(), equalTo(List.of(8443)));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The secrets cert-manager writes: each Certificate's secret name → the Certificate. */
    private static Map<String, GenericKubernetesResource> certificateSecrets() {
        Map<String, GenericKubernetesResource> made = new java.util.HashMap<>();
        objects.stream().filter(o -> o.getKind().equals("Certificate")).map(GenericKubernetesResource.class::cast)
                .forEach(c -> made.put((String) c.get("spec", "secretName"), c));
        return made;
    }

    /** The workload name of a service module, from its generated manifest's file name. */
    private static String workloadName(String module) {
        return KubernetesManifests.SERVICES.get(module).replace(".yaml", "");
    }

    /** Secrets the Strimzi operators make: each cluster's CA certificate and each KafkaUser's credentials. */
    private static Set<String> strimziSecrets() {
        Set<String> made = new HashSet<>();
        String userPrefix = "";
        for (HasMetadata object : objects) {
            if (object.getKind().equals("Kafka")) {
                made.add(object.getMetadata().getName() + "-cluster-ca-cert");
                Object prefix = ((GenericKubernetesResource) object).get("spec", "entityOperator", "userOperator", "secretPrefix");
                userPrefix = prefix == null ? "" : prefix.toString();
            }
        }
        for (HasMetadata object : objects) {
            if (object.getKind().equals("KafkaUser")) {
                made.add(userPrefix + object.getMetadata().getName());
            }
        }
        return made;
    }

    @Test
    @Tag("packaged") // needs the services' manifests, generated when they are packaged: not in the fast loop
    void shouldHoldWhatAFreshGenerationGives() throws IOException {
        assertThat("kafka-topics.yaml is out of date: run ./cardiowatch manifests",
                Files.readString(FOLDER.resolve("kafka-topics.yaml")), equalTo(KubernetesManifests.kafkaTopics()));
        for (Map.Entry<String, String> service : KubernetesManifests.SERVICES.entrySet()) {
            Path generated = KubernetesManifests.generatedManifest(REPOSITORY, service.getKey());
            assertThat(generated + " exists: the services are built before this module", Files.exists(generated), is(true));
            // As objects, not text, with ports in name order: the generator's label and port order
            // change from build to build.
            assertThat("services/" + service.getValue() + " is out of date: run ./cardiowatch manifests",
                    portsInNameOrder(documents(Files.readString(FOLDER.resolve("services").resolve(service.getValue())))),
                    equalTo(portsInNameOrder(documents(Files.readString(generated)))));
        }
    }

    /** The Kubernetes objects of a multi-document YAML file. */
    private static List<HasMetadata> documents(String yaml) {
        List<HasMetadata> documents = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (!document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                documents.add(YAML.unmarshal(document));
            }
        }
        return documents;
    }

    private static List<HasMetadata> portsInNameOrder(List<HasMetadata> documents) {
        for (HasMetadata document : documents) {
            if (document instanceof io.fabric8.kubernetes.api.model.Service service && service.getSpec().getPorts() != null) {
                service.getSpec().getPorts().sort(java.util.Comparator.comparing(
                        io.fabric8.kubernetes.api.model.ServicePort::getName, java.util.Comparator.nullsFirst(String::compareTo)));
            } else if (document instanceof StatefulSet set) {
                set.getSpec().getTemplate().getSpec().getContainers().forEach(KubernetesManifestsTest::sortPorts);
            } else if (document instanceof Deployment deployment) {
                deployment.getSpec().getTemplate().getSpec().getContainers().forEach(KubernetesManifestsTest::sortPorts);
            }
        }
        return documents;
    }

    private static void sortPorts(Container container) {
        if (container.getPorts() != null) {
            container.getPorts().sort(java.util.Comparator.comparing(io.fabric8.kubernetes.api.model.ContainerPort::getName,
                    java.util.Comparator.nullsFirst(String::compareTo)));
        }
    }

    private static <T> List<T> ofType(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
