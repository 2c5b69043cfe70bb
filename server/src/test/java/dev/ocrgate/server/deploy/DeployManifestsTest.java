package dev.ocrgate.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.ConfigSchema;
import dev.ocrgate.server.config.EnvOverrides;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline structural validation of deploy/k8s: every document parses and names itself, selectors
 * match the pods they mean, probes and Services point at declared container ports, the HPA, PDB,
 * volumes and env point at things that exist, and the ConfigMap is a config the real loader
 * accepts, with the Deployment's environment applied. Hardening: every pod runs non-root with a
 * read-only root filesystem, no privilege escalation, no capabilities, the runtime's seccomp
 * profile and no service-account token; NetworkPolicies admit only what must connect; no Secret
 * (placeholder or not) is in the kustomization.
 */
class DeployManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<JsonNode> DOCS = new ArrayList<>();
  private static final Map<String, JsonNode> BY_KIND_NAME = new LinkedHashMap<>();
  /** deploy/secret.example.yaml: the Secrets to create out of band (not applied by the kustomization). */
  private static final List<JsonNode> EXAMPLE_SECRETS = new ArrayList<>();
  private static Path dir;

  @BeforeAll
  static void load() throws IOException {
    dir = RepoPaths.root().resolve("deploy/k8s");
    try (Stream<Path> files = Files.walk(dir)) { // monitoring/ too: applied apart, checked alike
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
          while (it.hasNext()) {
            JsonNode doc = it.next();
            if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
              DOCS.add(doc);
              BY_KIND_NAME.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
            }
          }
        }
      }
    }
    Path examples = RepoPaths.root().resolve("deploy/secret.example.yaml");
    if (Files.exists(examples)) { // checked by the Secret test
      try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(examples.toFile())) {
        it.forEachRemaining(EXAMPLE_SECRETS::add);
      }
    }
  }

  private static List<JsonNode> kind(String kind) {
    return DOCS.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode get(String kind, String name) {
    JsonNode d = BY_KIND_NAME.get(kind + "/" + name);
    assertThat(d).as("%s/%s exists in deploy/k8s", kind, name).isNotNull();
    return d;
  }

  private static Map<String, String> map(JsonNode node) {
    Map<String, String> m = new HashMap<>();
    node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static boolean selects(JsonNode selector, Map<String, String> labels) {
    Map<String, String> sel = map(selector);
    return !sel.isEmpty() && labels.entrySet().containsAll(sel.entrySet());
  }

  private static JsonNode serverDeployment() {
    return get("Deployment", "ocrgate");
  }

  private static JsonNode serverContainer() {
    return serverDeployment().path("spec").path("template").path("spec").path("containers").get(0);
  }

  @Test
  void verify_everyDocument_hasApiVersionKindAndName_andKustomizationListsEveryFile() throws IOException {
    assertThat(DOCS).hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode d : DOCS) {
      assertThat(d.path("apiVersion").asText()).as(d.toString()).isNotEmpty();
      assertThat(d.path("kind").asText()).as(d.toString()).isNotEmpty();
      if (!d.path("kind").asText().equals("Kustomization")) {
        assertThat(d.path("metadata").path("name").asText()).as(d.toString()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
      }
    }
    Set<String> listed = new TreeSet<>();
    get("Kustomization", "").path("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(dir)) {
      Set<String> present = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(listed).isEqualTo(present);
    }
  }

  @Test
  void verify_deployments_selectTheirOwnPodTemplates() {
    assertThat(kind("Deployment")).hasSize(2);
    for (JsonNode d : kind("Deployment")) {
      Map<String, String> labels = map(d.path("spec").path("template").path("metadata").path("labels"));
      assertThat(selects(d.path("spec").path("selector").path("matchLabels"), labels))
          .as("selector of %s matches its template", d.path("metadata").path("name")).isTrue();
    }
  }

  @Test
  void verify_probes_useDeclaredPorts_andTheObservabilityPaths() {
    for (JsonNode d : kind("Deployment")) {
      for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
        Set<String> ports = new HashSet<>();
        c.path("ports").forEach(p -> {
          ports.add(p.path("name").asText());
          ports.add(p.path("containerPort").asText());
        });
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          JsonNode p = c.path(probe);
          if (p.isMissingNode()) {
            continue;
          }
          JsonNode action = p.has("httpGet") ? p.path("httpGet") : p.has("tcpSocket") ? p.path("tcpSocket") : p.path("grpc");
          assertThat(ports).as("%s of %s", probe, c.path("name")).contains(action.path("port").asText());
        }
      }
    }
    JsonNode c = serverContainer();
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(c.path("resources").path("limits").path("nvidia.com/gpu").asInt()).isPositive();
    assertThat(c.path("resources").path("limits").path("memory").asText()).isNotEmpty();
    assertThat(c.path("lifecycle").path("preStop").isMissingNode()).isFalse();
    assertThat(serverDeployment().path("spec").path("template").path("spec").path("nodeSelector").size()).isPositive();
  }

  @Test
  void verify_services_selectPods_andTargetDeclaredPorts_andOcrgateIsHeadless() {
    assertThat(get("Service", "ocrgate").path("spec").path("clusterIP").asText()).isEqualTo("None");
    for (JsonNode svc : kind("Service")) {
      List<JsonNode> targets = kind("Deployment").stream()
          .filter(d -> selects(svc.path("spec").path("selector"),
              map(d.path("spec").path("template").path("metadata").path("labels"))))
          .toList();
      assertThat(targets).as("pods of Service %s", svc.path("metadata").path("name")).hasSize(1);
      Set<String> ports = new HashSet<>();
      targets.get(0).path("spec").path("template").path("spec").path("containers")
          .forEach(c -> c.path("ports").forEach(p -> {
            ports.add(p.path("name").asText());
            ports.add(p.path("containerPort").asText());
          }));
      svc.path("spec").path("ports").forEach(p -> assertThat(ports).contains(p.path("targetPort").asText()));
    }
  }

  @Test
  void verify_hpaAndPdb_targetTheServerDeployment_andTheHpaMetricIsOneWeExport() throws IOException {
    JsonNode hpa = get("HorizontalPodAutoscaler", "ocrgate");
    JsonNode ref = hpa.path("spec").path("scaleTargetRef");
    assertThat(get(ref.path("kind").asText(), ref.path("name").asText())).isSameAs(serverDeployment());
    String metric = hpa.path("spec").path("metrics").get(0).path("pods").path("metric").path("name").asText();
    assertThat(Files.readString(RepoPaths.root().resolve("docs/metrics.md"))).contains("`" + metric + "`");
    assertThat(get("ConfigMap", "ocrgate-prometheus-adapter-rules").path("data").path("config.yaml").asText())
        .contains(metric);
    assertThat(hpa.path("spec").path("minReplicas").asInt())
        .isLessThanOrEqualTo(hpa.path("spec").path("maxReplicas").asInt());

    JsonNode pdb = get("PodDisruptionBudget", "ocrgate");
    assertThat(selects(pdb.path("spec").path("selector").path("matchLabels"),
        map(serverDeployment().path("spec").path("template").path("metadata").path("labels")))).isTrue();
    assertThat(pdb.path("spec").path("minAvailable").asInt())
        .isLessThan(hpa.path("spec").path("minReplicas").asInt());
  }

  @Test
  void verify_volumes_referenceExistingConfigMapsAndSecrets_andMountsReferenceVolumes() {
    JsonNode pod = serverDeployment().path("spec").path("template").path("spec");
    Set<String> volumes = new HashSet<>();
    for (JsonNode v : pod.path("volumes")) {
      volumes.add(v.path("name").asText());
      if (v.has("configMap")) {
        get("ConfigMap", v.path("configMap").path("name").asText());
      }
      if (v.has("secret")) {
        assertThat(EXAMPLE_SECRETS).as("Secret %s described in deploy/secret.example.yaml", v.path("secret"))
            .anyMatch(d -> d.path("kind").asText().equals("Secret")
                && d.path("metadata").path("name").asText().equals(v.path("secret").path("secretName").asText()));
      }
    }
    serverContainer().path("volumeMounts").forEach(m -> assertThat(volumes).contains(m.path("name").asText()));
  }

  @Test
  void verify_configMap_isAValidConfig_withTheDeploymentEnvironmentApplied(@TempDir Path tmp)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    // variables a config key names as a secret holder (e.g. redis.password_env's default)
    OcrgateConfig defaults = new OcrgateConfig();
    Set<String> secretHolders = Set.of(defaults.redis.password_env, defaults.auth.hs256_secret_env);
    for (JsonNode e : serverContainer().path("env")) {
      String name = e.path("name").asText();
      assertThat(name).matches("[A-Z_][A-Z0-9_]*");
      if (name.startsWith("OCRGATE_")) {
        boolean isKey = ConfigSchema.get().keys().stream().anyMatch(k -> k.envName().equals(name));
        assertThat(isKey || EnvOverrides.NOT_CONFIG.contains(name) || secretHolders.contains(name))
            .as("%s is a config key (docs/configuration.md), a secret a key names, or a known non-config variable", name)
            .isTrue();
      }
      env.put(name, e.path("value").asText());
    }
    Path file = tmp.resolve("ocrgate.yaml");
    Files.writeString(file, get("ConfigMap", "ocrgate-config").path("data").path("ocrgate.yaml").asText());
    OcrgateConfig config = ConfigLoader.load(file, env);

    Map<String, Integer> ports = new HashMap<>();
    serverContainer().path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    assertThat(ports.get("grpc")).isEqualTo(config.server.port);
    assertThat(ports.get("metrics")).isEqualTo(config.metrics.port);
    assertThat(config.metrics.enabled).isTrue();
    assertThat(config.metrics.host).isEqualTo("0.0.0.0");
    assertThat(config.server.host).isEqualTo("0.0.0.0");
    assertThat(config.server.plaintext).isFalse();

    int preStopSleep = Integer.parseInt(serverContainer().path("lifecycle").path("preStop").path("exec")
        .path("command").get(1).asText());
    int grace = serverDeployment().path("spec").path("template").path("spec")
        .path("terminationGracePeriodSeconds").asInt();
    assertThat(grace).as("grace period > preStop + drain").isGreaterThan(preStopSleep + config.server.drain_timeout_seconds);
  }

  private static List<JsonNode> pods() {
    return kind("Deployment").stream().map(d -> d.path("spec").path("template")).toList();
  }

  private static String name(JsonNode podTemplate) {
    return podTemplate.path("metadata").path("labels").path("app.kubernetes.io/name").asText();
  }

  @Test
  void verify_everyPod_runsNonRoot_readOnly_withoutPrivileges_underRuntimeSeccomp_withoutServiceAccountToken() {
    assertThat(pods()).hasSize(2);
    for (JsonNode pod : pods()) {
      JsonNode spec = pod.path("spec");
      String name = name(pod);
      assertThat(spec.path("automountServiceAccountToken").isBoolean()
          && !spec.path("automountServiceAccountToken").asBoolean()).as("%s: no service-account token", name).isTrue();
      JsonNode psc = spec.path("securityContext");
      assertThat(psc.path("runAsNonRoot").asBoolean()).as("%s: runAsNonRoot", name).isTrue();
      assertThat(psc.path("runAsUser").asInt()).as("%s: runAsUser", name).isPositive();
      assertThat(psc.path("runAsGroup").asInt()).as("%s: runAsGroup", name).isPositive();
      assertThat(psc.path("seccompProfile").path("type").asText()).as("%s: seccomp", name).isEqualTo("RuntimeDefault");
      assertThat(spec.path("hostNetwork").asBoolean() || spec.path("hostPID").asBoolean()
          || spec.path("hostIPC").asBoolean()).as("%s: host namespaces", name).isFalse();
      for (JsonNode c : spec.path("containers")) {
        JsonNode sc = c.path("securityContext");
        String what = name + "/" + c.path("name").asText();
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean()
            && !sc.path("allowPrivilegeEscalation").asBoolean()).as("%s: allowPrivilegeEscalation false", what).isTrue();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as("%s: readOnlyRootFilesystem", what).isTrue();
        assertThat(sc.path("privileged").asBoolean()).as("%s: privileged", what).isFalse();
        List<String> dropped = new ArrayList<>();
        sc.path("capabilities").path("drop").forEach(x -> dropped.add(x.asText()));
        assertThat(dropped).as("%s: capabilities dropped", what).containsExactly("ALL");
        assertThat(sc.path("capabilities").path("add").size()).as("%s: capabilities added", what).isZero();
        assertThat(sc.path("runAsUser").isMissingNode() || sc.path("runAsUser").asInt() > 0)
            .as("%s: not root", what).isTrue();
      }
    }
  }

  @Test
  void verify_readOnlyRoot_leavesWritable_exactlyWhatMustBe() {
    // ocrgate: ONNX Runtime and Netty unpack native libraries into java.io.tmpdir (/tmp).
    JsonNode pod = serverDeployment().path("spec").path("template").path("spec");
    assertThat(writableMounts(pod, serverContainer())).containsExactly("/tmp");
    // Redis writes to /data only when persistence is on; then /data must be a volume.
    JsonNode redisPod = get("Deployment", "ocrgate-redis").path("spec").path("template").path("spec");
    JsonNode redis = redisPod.path("containers").get(0);
    List<String> args = new ArrayList<>();
    redis.path("args").forEach(a -> args.add(a.asText()));
    int save = args.indexOf("--save");
    int aof = args.indexOf("--appendonly");
    boolean persists = (save >= 0 && !args.get(save + 1).isEmpty()) || (aof >= 0 && args.get(aof + 1).equals("yes"));
    if (persists) {
      assertThat(writableMounts(redisPod, redis)).as("Redis persistence needs a writable /data").contains("/data");
    }
  }

  /** Mount paths of {@code c} that are writable (not readOnly, and not a ConfigMap or Secret). */
  private static List<String> writableMounts(JsonNode podSpec, JsonNode c) {
    Map<String, JsonNode> volumes = new HashMap<>();
    podSpec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    List<String> writable = new ArrayList<>();
    for (JsonNode m : c.path("volumeMounts")) {
      JsonNode v = volumes.get(m.path("name").asText());
      if (!m.path("readOnly").asBoolean() && v != null && !v.has("configMap") && !v.has("secret")) {
        writable.add(m.path("mountPath").asText());
      }
    }
    return writable;
  }

  @Test
  void verify_networkPolicies_redisOnlyFromOcrgate_metricsOnlyFromMonitoring_grpcOpen() {
    List<JsonNode> policies = kind("NetworkPolicy");
    for (JsonNode pod : pods()) {
      Map<String, String> labels = map(pod.path("metadata").path("labels"));
      List<JsonNode> selecting = policies.stream()
          .filter(p -> selects(p.path("spec").path("podSelector").path("matchLabels"), labels))
          .filter(p -> p.path("spec").path("policyTypes").toString().contains("\"Ingress\""))
          .toList();
      assertThat(selecting).as("an ingress policy isolates the pods of %s", name(pod)).hasSize(1);
      JsonNode policy = selecting.get(0);
      Set<String> declared = new HashSet<>();
      pod.path("spec").path("containers").forEach(c -> c.path("ports").forEach(p -> declared.add(p.path("name").asText())));
      for (JsonNode rule : policy.path("spec").path("ingress")) {
        assertThat(rule.path("ports").size()).as("every rule of %s names its ports", name(pod)).isPositive();
        rule.path("ports").forEach(p -> assertThat(declared).contains(p.path("port").asText()));
      }
      assertThat(openPorts(policy)).as("ports of %s open to every source", name(pod))
          .isEqualTo(name(pod).equals("ocrgate") ? Set.of("grpc") : Set.of());
    }
    Map<String, String> serverLabels = map(serverDeployment().path("spec").path("template").path("metadata").path("labels"));
    JsonNode redisRules = get("NetworkPolicy", "ocrgate-redis").path("spec").path("ingress");
    assertThat(redisRules).hasSize(1);
    JsonNode from = redisRules.get(0).path("from");
    assertThat(from).hasSize(1);
    assertThat(from.get(0).has("namespaceSelector") || from.get(0).has("ipBlock")).as("same namespace, pods only").isFalse();
    assertThat(selects(from.get(0).path("podSelector").path("matchLabels"), serverLabels)).isTrue();
    assertThat(redisRules.get(0).path("ports").findValuesAsText("port")).containsExactly("redis");
    JsonNode redisEgress = get("NetworkPolicy", "ocrgate-redis").path("spec");
    assertThat(redisEgress.path("policyTypes").toString()).contains("Egress");
    assertThat(redisEgress.path("egress").size()).as("Redis connects nowhere").isZero();
    for (JsonNode rule : get("NetworkPolicy", "ocrgate").path("spec").path("ingress")) {
      if (rule.path("ports").findValuesAsText("port").contains("metrics")) {
        assertThat(rule.path("ports").findValuesAsText("port")).containsExactly("metrics");
        assertThat(rule.path("from")).hasSize(1);
        assertThat(rule.path("from").get(0).path("namespaceSelector").path("matchLabels").size())
            .as("metrics only from a labelled namespace").isPositive();
        assertThat(rule.path("from").get(0).has("ipBlock")).isFalse();
      }
    }
  }

  /** Ports that an ingress rule without {@code from} (any source) opens. */
  private static Set<String> openPorts(JsonNode policy) {
    Set<String> open = new TreeSet<>();
    for (JsonNode rule : policy.path("spec").path("ingress")) {
      boolean anySource = !rule.has("from") || rule.path("from").isEmpty()
          || StreamSupport.stream(rule.path("from").spliterator(), false).anyMatch(f ->
              f.isEmpty() || (f.has("namespaceSelector") && f.path("namespaceSelector").isEmpty())
                  || f.path("ipBlock").path("cidr").asText().endsWith("/0"));
      if (anySource) {
        rule.path("ports").forEach(p -> open.add(p.path("port").asText()));
      }
    }
    return open;
  }

  @Test
  void verify_noSecretIsApplied_byTheKustomization_everySecretUsedIsAnExample() {
    assertThat(kind("Secret")).as("Secrets in deploy/k8s (kubectl apply would overwrite the real ones)").isEmpty();
    JsonNode k = get("Kustomization", "");
    for (JsonNode g : k.path("secretGenerator")) {
      assertThat(g.has("literals")).as("secretGenerator %s with literal values", g.path("name")).isFalse();
    }
    assertThat(EXAMPLE_SECRETS).isNotEmpty().allSatisfy(d -> assertThat(d.path("kind").asText()).isEqualTo("Secret"));
    Set<String> used = new TreeSet<>();
    for (JsonNode pod : pods()) {
      pod.path("spec").path("volumes").forEach(v -> {
        if (v.has("secret")) {
          used.add(v.path("secret").path("secretName").asText());
        }
      });
      pod.path("spec").path("containers").forEach(c -> c.path("env").forEach(e -> {
        if (e.path("valueFrom").has("secretKeyRef")) {
          used.add(e.path("valueFrom").path("secretKeyRef").path("name").asText());
        }
      }));
    }
    Set<String> described = EXAMPLE_SECRETS.stream().map(d -> d.path("metadata").path("name").asText())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(described).containsAll(used);
  }
}
