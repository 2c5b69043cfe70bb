package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.testing.RepoPaths;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offline consistency of the container images (deploy/docker) with the build and deploy/k8s,
 * for machines without an image builder (deploy/README.md records the builds that were run).
 * Each Dockerfile: an exec-form entry point through tini into the launcher, which execs java with
 * the CLI's main class on the classpath folders the Dockerfile fills; the non-root uid/gid the
 * Deployment runs as; exposed ports equal to the config defaults, the ConfigMap and the
 * Deployment's container ports; models copied to where the config's model paths point, and each
 * repository model folder loadable. The CUDA image: its base's CUDA major and the libraries it
 * lists are exactly those that ONNX Runtime's CUDA provider in the onnxruntime_gpu jar on this
 * classpath links against. The Deployment runs the CUDA image's tag, passes the same arguments
 * and does not override the entry point.
 */
class ContainerImageTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = RepoPaths.root();
  private static final Path DOCKER = ROOT.resolve("deploy/docker");
  private static final String ENTRYPOINT = "[\"/usr/bin/tini\", \"--\", \"/opt/ocrgate/bin/ocrgate\"]";
  private static final String HOME = "/opt/ocrgate";

  /** One instruction of a Dockerfile: keyword (upper case) and its arguments, continuations joined. */
  record Instruction(String keyword, String args) {}

  static List<Instruction> parse(Path dockerfile) throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && pending.isEmpty())) {
        continue;
      }
      boolean continued = t.endsWith("\\");
      pending.append((continued ? t.substring(0, t.length() - 1) : t).strip()).append(' ');
      if (!continued) {
        String full = pending.toString().strip();
        int sp = full.indexOf(' ');
        out.add(new Instruction(full.substring(0, sp).toUpperCase(), full.substring(sp + 1).strip()));
        pending.setLength(0);
      }
    }
    return out;
  }

  private static List<String> all(List<Instruction> df, String keyword) {
    return df.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
  }

  private static String one(List<Instruction> df, String keyword) {
    List<String> found = all(df, keyword);
    assertThat(found).as("exactly one %s", keyword).hasSize(1);
    return found.get(0);
  }

  private static JsonNode container() throws IOException {
    JsonNode deployment = YAML.readTree(ROOT.resolve("deploy/k8s/deployment.yaml").toFile());
    return deployment.path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static JsonNode podSpec() throws IOException {
    return YAML.readTree(ROOT.resolve("deploy/k8s/deployment.yaml").toFile())
        .path("spec").path("template").path("spec");
  }

  /** The release the images are tagged with: the parent POM's version without -SNAPSHOT. */
  private static String releaseVersion() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>ocrgate-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertThat(m.find()).as("parent POM version").isTrue();
    return m.group(1).replace("-SNAPSHOT", "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void verify_entryPoint_isExecFormThroughTini_intoTheLauncher(String name) throws IOException {
    List<Instruction> df = parse(DOCKER.resolve(name));
    assertThat(one(df, "ENTRYPOINT")).isEqualTo(ENTRYPOINT);
    assertThat(all(df, "RUN")).anySatisfy(run -> assertThat(run).contains("apt-get install").contains(" tini"));
    assertThat(one(df, "CMD")).isEqualTo("[\"serve\", \"--config\", \"/etc/ocrgate/ocrgate.yaml\"]");
    assertThat(all(df, "COPY")).contains("bin/ " + HOME + "/bin/");
  }

  @Test
  void verify_launcher_execsJava_withTheCliMainClass_onTheCopiedFolders() throws IOException {
    String launcher = Files.readString(DOCKER.resolve("ocrgate"));
    Matcher exec = Pattern.compile("(?m)^exec java \\$\\{OCRGATE_JAVA_OPTS:-} -cp '([^']+)' (\\S+) \"\\$@\"$")
        .matcher(launcher);
    assertThat(exec.find()).as("launcher: exec java ... -cp '<dirs>' <main> \"$@\"").isTrue();
    assertThat(exec.group(2)).isEqualTo(Main.class.getName());
    assertThat(launcher).startsWith("#!/bin/sh\n");
    assertThat(Files.isExecutable(DOCKER.resolve("ocrgate"))).isTrue();
    for (String name : List.of("Dockerfile", "Dockerfile.cuda")) {
      List<String> copies = all(parse(DOCKER.resolve(name)), "COPY");
      for (String entry : exec.group(1).split(":")) {
        assertThat(entry).endsWith("/*");
        String dir = entry.substring(0, entry.length() - 1);
        assertThat(copies).as("%s fills %s", name, dir)
            .anySatisfy(c -> assertThat(c).endsWith(" " + dir));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void verify_user_isTheDeploymentsNonRootUid(String name) throws IOException {
    List<Instruction> df = parse(DOCKER.resolve(name));
    JsonNode ctx = podSpec().path("securityContext");
    String uid = ctx.path("runAsUser").asText();
    String gid = ctx.path("runAsGroup").asText();
    assertThat(uid).isNotEqualTo("0").isNotEmpty();
    assertThat(one(df, "USER")).isEqualTo(uid + ":" + gid);
    assertThat(all(df, "RUN")).anySatisfy(run -> assertThat(run)
        .contains("groupadd --gid " + gid).contains("--uid " + uid + " --gid " + gid));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void verify_exposedPorts_matchConfigDefaults_configMap_andDeployment(String name) throws IOException {
    List<Instruction> df = parse(DOCKER.resolve(name));
    Set<Integer> exposed = new TreeSet<>();
    for (String p : one(df, "EXPOSE").split("\\s+")) {
      exposed.add(Integer.parseInt(p));
    }
    OcrgateConfig defaults = ConfigLoader.defaults();
    assertThat(exposed).containsExactlyInAnyOrder(defaults.server.port, defaults.metrics.port);

    JsonNode configMap = YAML.readTree(ROOT.resolve("deploy/k8s/configmap.yaml").toFile());
    OcrgateConfig mounted = ConfigLoader.yamlMapper()
        .readValue(configMap.path("data").path("ocrgate.yaml").asText(), OcrgateConfig.class);
    assertThat(exposed).containsExactlyInAnyOrder(mounted.server.port, mounted.metrics.port);

    Set<Integer> declared = new TreeSet<>();
    container().path("ports").forEach(p -> declared.add(p.path("containerPort").asInt()));
    assertThat(declared).isEqualTo(exposed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void verify_models_areCopiedWhereTheConfigPointsAndLoad(String name) throws IOException {
    List<Instruction> df = parse(DOCKER.resolve(name));
    assertThat(all(df, "COPY")).contains("models/ " + HOME + "/models/");
    assertThat(all(df, "ENV")).contains("OCRGATE_HOME=" + HOME);
    // The default (relative, against OCRGATE_HOME) and the ConfigMap's (absolute) model paths
    // both name a model folder of this repository, which the build script copies as a whole.
    JsonNode configMap = YAML.readTree(ROOT.resolve("deploy/k8s/configmap.yaml").toFile());
    List<String> paths = new ArrayList<>();
    ConfigLoader.defaults().models.forEach(m -> paths.add(HOME + "/" + m));
    configMap.path("data").path("ocrgate.yaml").asText().lines()
        .filter(l -> l.strip().startsWith("- " + HOME + "/models/"))
        .forEach(l -> paths.add(l.strip().substring(2)));
    assertThat(paths).hasSizeGreaterThanOrEqualTo(2);
    for (String p : paths) {
      assertThat(p).startsWith(HOME + "/models/");
      Path inRepo = ROOT.resolve(p.substring(HOME.length() + 1));
      ModelRepository.ModelSet set = ModelRepository.load(inRepo);
      assertThat(Files.size(set.recognition())).isPositive();
    }
  }

  @Test
  void verify_cudaImage_providesWhatOnnxRuntimesCudaProviderLinks() throws IOException {
    List<Instruction> df = parse(DOCKER.resolve("Dockerfile.cuda"));
    Set<String> needed = cudaProviderNeeds();
    assertThat(needed).as("CUDA libraries named by the provider").isNotEmpty();

    String base = all(df, "ARG").stream().filter(a -> a.startsWith("BASE_IMAGE=")).findFirst().orElseThrow();
    Matcher tag = Pattern.compile("BASE_IMAGE=nvidia/cuda:(\\d+)\\.\\d+(\\.\\d+)?-cudnn-runtime-ubuntu\\d+\\.\\d+")
        .matcher(base);
    assertThat(tag.matches()).as("CUDA runtime + cuDNN base: %s", base).isTrue();
    String cudart = needed.stream().filter(l -> l.startsWith("libcudart.so.")).findFirst().orElseThrow();
    assertThat(tag.group(1)).as("base CUDA major vs %s", cudart).isEqualTo(cudart.substring("libcudart.so.".length()));

    // The header lists them (operators read it), and the build checks them with ldd.
    String text = Files.readString(DOCKER.resolve("Dockerfile.cuda"));
    for (String lib : needed) {
      assertThat(text).as("Dockerfile.cuda names %s", lib).contains(lib);
    }
    assertThat(all(df, "RUN")).anySatisfy(r -> assertThat(r).contains("/tmp/check-cuda-provider /opt/ocrgate/lib"));
    assertThat(Files.readString(DOCKER.resolve("check-cuda-provider"))).contains("ldd").contains("not found");
  }

  @Test
  void verify_deployment_runsTheCudaImageTag_withTheImagesEntryPoint() throws IOException {
    JsonNode c = container();
    assertThat(c.path("image").asText()).isEqualTo("ocrgate:" + releaseVersion() + "-cuda");
    assertThat(c.has("command")).as("command would bypass tini and the launcher").isFalse();
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args).containsExactly("serve", "--config", "/etc/ocrgate/ocrgate.yaml");
    List<String> mounts = new ArrayList<>();
    c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
    assertThat(mounts).contains("/etc/ocrgate/ocrgate.yaml", "/tmp");

    String script = Files.readString(DOCKER.resolve("build-image.sh"));
    assertThat(script).contains("tag=\"${tag:-ocrgate:${version}${suffix}}\"")
        .contains("suffix=\"-cuda\"").contains("deploy/docker/Dockerfile.cuda");
  }

  /**
   * The CUDA / cuDNN sonames that libonnxruntime_providers_cuda.so in the onnxruntime_gpu jar on
   * the test classpath depends on. Its dynamic string table (DT_NEEDED names) sits in the first
   * kilobytes of the file, so reading 256 KiB of the entry is enough; no full 370 MB inflate.
   */
  private static Set<String> cudaProviderNeeds() throws IOException {
    Path jar = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(p -> p.getFileName().toString().matches("onnxruntime_gpu-[0-9.]+\\.jar"))
        .findFirst().orElseThrow(() -> new AssertionError("onnxruntime_gpu jar not on the classpath"));
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry e = zip.getEntry("ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so");
      assertThat(e).as("CUDA provider in %s", jar).isNotNull();
      byte[] head;
      try (InputStream in = zip.getInputStream(e)) {
        head = in.readNBytes(256 * 1024);
      }
      String ascii = new String(head, StandardCharsets.ISO_8859_1);
      Matcher m = Pattern.compile("lib(cudart|cublasLt|cublas|curand|cufft|cudnn)\\.so\\.\\d+").matcher(ascii);
      Set<String> libs = new TreeSet<>();
      while (m.find()) {
        libs.add(m.group());
      }
      return libs;
    }
  }

  @Test
  void verify_parse_joinsContinuations_andSkipsComments(@TempDir Path dir)
      throws IOException {
    Path f = dir.resolve("Dockerfile");
    Files.writeString(f, "# c\nFROM x\nRUN a \\\n && b\n\nUSER 1:2\n");
    assertThat(parse(f)).containsExactly(new Instruction("FROM", "x"),
        new Instruction("RUN", "a && b"), new Instruction("USER", "1:2"));
  }
}
