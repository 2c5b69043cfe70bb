package dev.ocrgate.server.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.ExternalTools;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.testing.TextImages;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/node against the real server (TLS, JWT auth, ONNX models): {@code npm ci} once into
 * target/node-example (re-run only when package-lock.json changes), then recognize.js and
 * stream.js as child processes, as a Node user would run them.
 */
class NodeClientExampleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path nodeModules;
  private static OcrgateServer server;
  private static String token;
  private static Path image;

  @BeforeAll
  static void setUp() throws Exception {
    ExternalTools.require("node", "nodejs");
    String npm = ExternalTools.require("npm", "npm");
    nodeModules = npmCi(npm);

    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.metrics.port = 0;
    config.models = new ArrayList<>(List.of(RepoPaths.modelDir().toString()));
    TestTls.certs().applyTo(config.tls);
    Path devDir = Path.of("target/node-example-dev").toAbsolutePath();
    config.dev.enabled = true;
    config.dev.certs_dir = devDir.toString();
    server = ServerAssembly.assemble(config).start();
    token = TokenMinter.of(DevKeys.ensure(DevKeys.dir(devDir)))
        .mint("node-example", List.of("ocr:recognize", "ocr:stream"), Duration.ofMinutes(10), "ocrgate", "acme");

    image = Path.of("target/node-example-hello.png").toAbsolutePath();
    TextImages.Rendered r = TextImages.render(560, 96, Color.WHITE, Color.BLACK,
        List.of(new TextImages.Line("HELLO OCRGATE", TextImages.latin(48), 24, 20)));
    ImageIO.write(r.image(), "png", image.toFile());
  }

  @AfterAll
  static void tearDown() {
    if (server != null) {
      server.shutdownGracefully();
    }
  }

  /** Installs the example's locked dependencies into target/node-example once. */
  private static Path npmCi(String npm) throws Exception {
    Path example = RepoPaths.root().resolve("examples/node");
    Path work = Path.of("target/node-example").toAbsolutePath();
    Files.createDirectories(work);
    byte[] lock = Files.readAllBytes(example.resolve("package-lock.json"));
    Path copiedLock = work.resolve("package-lock.json");
    boolean fresh = Files.isDirectory(work.resolve("node_modules/@grpc/grpc-js"))
        && Files.isRegularFile(copiedLock) && Arrays.equals(lock, Files.readAllBytes(copiedLock));
    if (!fresh) {
      Files.copy(example.resolve("package.json"), work.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
      Files.write(copiedLock, lock);
      Result r = run(work, Map.of(), Duration.ofMinutes(5), npm, "ci", "--no-audit", "--no-fund");
      assertThat(r.status).as("npm ci: %s", r.stderr).isZero();
    }
    return work.resolve("node_modules");
  }

  private record Result(int status, String stdout, String stderr) {}

  private static Result run(Path dir, Map<String, String> env, Duration timeout, String... cmd)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("node-out", ".txt");
    Path err = Files.createTempFile("node-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeout);
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  private static Result node(String token, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", RepoPaths.root().resolve("examples/node/" + script).toString(),
        "--target", "localhost:" + server.port(), "--ca", TestTls.certs().caCert().toString()));
    cmd.addAll(List.of(args));
    return run(RepoPaths.root(), Map.of("OCRGATE_TOKEN", token, "NODE_PATH", nodeModules.toString()),
        Duration.ofMinutes(2), cmd.toArray(String[]::new));
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
  }

  @Test
  void verify_recognizeJs_readsTheTextOfAnImage_withTheTokenInMetadata() throws Exception {
    Result r = node(token, "recognize.js", image.toString());

    assertThat(r.status).as(r.stderr).isZero();
    JsonNode out = JSON.readTree(r.stdout);
    assertThat(out.path("width").asInt()).isEqualTo(560);
    assertThat(out.path("height").asInt()).isEqualTo(96);
    assertThat(out.path("lines")).hasSize(1);
    assertThat(squash(out.path("lines").get(0).path("text").asText())).isEqualTo("HELLOOCRGATE");
    assertThat(out.path("lines").get(0).path("box")).hasSize(4);
    assertThat(r.stdout + r.stderr).doesNotContain(token);
  }

  @Test
  void verify_recognizeJs_badToken_printsUnauthenticated_andExits1() throws Exception {
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
    Result r = node(forged, "recognize.js", image.toString());

    assertThat(r.status).isEqualTo(1);
    assertThat(r.stderr).contains("UNAUTHENTICATED");
    assertThat(r.stdout + r.stderr).doesNotContain(forged);
  }

  @Test
  void verify_streamJs_answersEveryFrameInOrder_reusesUnchangedFrames_andEmitsACue() throws Exception {
    Result r = node(token, "stream.js", "--repeat", "3", image.toString());

    assertThat(r.status).as(r.stderr).isZero();
    List<JsonNode> results = new ArrayList<>();
    List<JsonNode> cues = new ArrayList<>();
    for (String line : r.stdout.strip().split("\n")) {
      JsonNode msg = JSON.readTree(line);
      (msg.has("result") ? results : cues).add(msg.has("result") ? msg.get("result") : msg.get("cue"));
    }
    assertThat(results).extracting(n -> n.path("seq").asInt()).containsExactly(1, 2, 3);
    assertThat(squash(results.get(0).path("text").asText())).isEqualTo("HELLOOCRGATE");
    assertThat(results.get(0).path("reusedFromSeq").isNull()).isTrue();
    assertThat(results.subList(1, 3)).allSatisfy(n -> assertThat(n.path("reusedFromSeq").asInt()).isEqualTo(1));
    assertThat(cues).hasSize(1);
    assertThat(squash(cues.get(0).path("text").asText())).isEqualTo("HELLOOCRGATE");
    assertThat(cues.get(0).path("startMs").asLong()).isZero();
    assertThat(cues.get(0).path("endMs").asLong()).isEqualTo(1500);
  }
}
