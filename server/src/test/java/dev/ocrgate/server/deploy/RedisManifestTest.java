package dev.ocrgate.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ocrgate.server.testing.RepoPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped Redis cannot forget a revocation: no eviction, append-only persistence on a
 * PersistentVolumeClaim, a password from a Secret (never inline, never on the command line).
 */
class RedisManifestTest {
  private static final Map<String, JsonNode> BY_KIND = new HashMap<>();

  @BeforeAll
  static void load() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class)
        .readValues(RepoPaths.root().resolve("deploy/k8s/redis.yaml").toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        BY_KIND.put(doc.path("kind").asText(), doc);
      }
    }
  }

  @Test
  void verify_redis_noEviction_appendOnly_onAPersistentVolume() {
    String command = commandLine();
    assertThat(command).contains("--maxmemory-policy noeviction").contains("--appendonly yes")
        .contains("--dir /data").doesNotContain("volatile-").doesNotContain("allkeys-");

    JsonNode pod = BY_KIND.get("Deployment").path("spec").path("template").path("spec");
    String claim = BY_KIND.get("PersistentVolumeClaim").path("metadata").path("name").asText();
    String dataVolume = null;
    for (JsonNode v : pod.path("volumes")) {
      if (claim.equals(v.path("persistentVolumeClaim").path("claimName").asText())) {
        dataVolume = v.path("name").asText();
      }
    }
    assertThat(dataVolume).as("a volume from the PVC").isNotNull();
    assertThat(mounts(pod).get("/data")).isEqualTo(dataVolume);
    assertThat(BY_KIND.get("Deployment").path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
  }

  @Test
  void verify_redis_passwordComesFromTheSecret_notTheManifestOrCommandLine() {
    String command = commandLine();
    assertThat(command).doesNotContain("--requirepass").contains("/run/secrets/ocrgate-redis/password");
    JsonNode pod = BY_KIND.get("Deployment").path("spec").path("template").path("spec");
    String secretVolume = null;
    for (JsonNode v : pod.path("volumes")) {
      if ("ocrgate-redis".equals(v.path("secret").path("secretName").asText())) {
        secretVolume = v.path("name").asText();
      }
    }
    assertThat(mounts(pod).get("/run/secrets/ocrgate-redis")).isEqualTo(secretVolume).isNotNull();
  }

  private static String commandLine() {
    JsonNode c = BY_KIND.get("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    List<String> parts = new ArrayList<>();
    c.path("command").forEach(n -> parts.add(n.asText()));
    c.path("args").forEach(n -> parts.add(n.asText()));
    return String.join(" ", parts);
  }

  private static Map<String, String> mounts(JsonNode pod) {
    Map<String, String> out = new HashMap<>();
    pod.path("containers").get(0).path("volumeMounts").forEach(m -> out.put(m.path("mountPath").asText(), m.path("name").asText()));
    return out;
  }
}
