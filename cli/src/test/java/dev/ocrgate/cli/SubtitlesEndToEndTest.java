package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.client.OcrClient;
import dev.ocrgate.client.SubtitleCue;
import dev.ocrgate.client.TokenSource;
import dev.ocrgate.client.SubtitleFormat;
import dev.ocrgate.client.TokenSources;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.issuer.SecretHash;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.cues.TextSimilarity;
import dev.ocrgate.server.testing.ExternalTools;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole product path: the test writes an SRT, ffmpeg burns it into a video, the production
 * server ({@link ServerAssembly}: JWT auth, OCR, StreamFrames) reads it through
 * {@code ocrgate subtitles}, and the cues must match: text CER ≤ 5 %, times within one sampled
 * frame interval + 200 ms. The token is a self-signed service-account JWT (SDK) verified by the
 * server's real verifier against a PEM key configured for the test. A second test gets tokens
 * from the server's real AuthService through the SDK's client-credentials source and reads a
 * rendered image with Recognize. One production server (models loaded once) serves both.
 */
class SubtitlesEndToEndTest {
  private static final int FPS = 5;
  private static final long INTERVAL_MS = 1000 / FPS;
  private static final List<SubtitleCue> EXPECTED =
      List.of(
          new SubtitleCue(500, 2500, "Hello from ocrgate"),
          new SubtitleCue(3000, 5000, "The quick brown fox"),
          new SubtitleCue(5600, 7600, "jumps over the lazy dog"));
  private static final Pattern SRT_CUE =
      Pattern.compile("\\d+\\n(\\d\\d):(\\d\\d):(\\d\\d),(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d),(\\d{3})\\n((?:[^\\n]+\\n)+)\\n");

  @TempDir static Path dir;
  static KeyPair keys;
  static OcrgateServer server;

  @BeforeAll
  static void startProductionServer() throws Exception {
    keys = ecKeys();
    server = ServerAssembly.assemble(config(keys)).start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.shutdownGracefully();
    }
  }

  /**
   * The SDK's client-credentials source against the real AuthService (IssueToken, then a refresh
   * once the 2 s access token is near expiry), and Recognize through the real OCR pipeline.
   */
  @Test
  void verify_clientCredentials_againstRealIssuer_thenRecognize() throws Exception {
    BufferedImage img = new BufferedImage(420, 90, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 420, 90);
    g.setColor(Color.BLACK);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font("DejaVu Sans", Font.PLAIN, 40));
    g.drawString("ocrgate 2026", 20, 60);
    g.dispose();
    AtomicInteger fetches = new AtomicInteger();
    ManagedChannel authChannel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), TestTls.clientCredentials()).build();
    TokenSource issuer = TokenSources.clientCredentials(authChannel, "e2e-app", "e2e-secret-value", "ocr:recognize");
    TokenSource counting = () -> {
      fetches.incrementAndGet();
      return issuer.fetch();
    };
    try (OcrClient client = OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(counting)
        .build()) {
      String first = text(client.recognize(img));
      Thread.sleep(2_100);
      String second = text(client.recognize(img));

      assertThat(first).isEqualTo("ocrgate 2026");
      assertThat(second).isEqualTo(first);
      assertThat(fetches.get()).as("a second token after the first expired").isGreaterThanOrEqualTo(2);
    } finally {
      authChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String text(RecognizeResponse r) {
    return String.join("\n", r.getLinesList().stream().map(l -> l.getText()).toList());
  }

  @Test
  void verify_subtitles_onBurnedInVideo_matchTheSourceSrt() throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    ExternalTools.require("ffprobe", "ffmpeg");
    Path video = burnIn(ffmpeg);
    Path tokenFile = Files.writeString(dir.resolve("token"), TokenSources.serviceAccount(
        keys.getPrivate(), "e2e-key", "svc-e2e", "ocrgate", Duration.ofMinutes(10), "ocr:stream", "ocr:recognize")
        .fetch().value());

    Path out = dir.resolve("out.srt");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SubtitlesCommand cmd = new SubtitlesCommand();
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    cmd.terminal = false;
    int exit = new CommandLine(cmd).execute(video.toString(), "-o", out.toString(), "--fps", Integer.toString(FPS),
        "--roi", "0,0.7,1,0.3", "--target", "127.0.0.1:" + server.port(),
        "--ca", TestTls.certs().caCert().toString(), "--token-file", tokenFile.toString());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<SubtitleCue> got = parseSrt(Files.readString(out));
    assertThat(got).as("cues read: %s", got).hasSize(EXPECTED.size());
    String expectedText = String.join("\n", EXPECTED.stream().map(SubtitleCue::text).toList());
    String gotText = String.join("\n", got.stream().map(SubtitleCue::text).toList());
    double cer = (double) editDistance(gotText, expectedText) / expectedText.length();
    long worstOffset = 0;
    for (int i = 0; i < Math.min(got.size(), EXPECTED.size()); i++) {
      worstOffset = Math.max(worstOffset, Math.max(Math.abs(got.get(i).startMs() - EXPECTED.get(i).startMs()),
          Math.abs(got.get(i).endMs() - EXPECTED.get(i).endMs())));
    }
    System.out.printf("subtitles e2e: %d cues, CER %.4f, worst time offset %d ms (limit %d ms)%n",
        got.size(), cer, worstOffset, INTERVAL_MS + 200);
    assertThat(cer).as("CER of %s", gotText).isLessThanOrEqualTo(0.05);
    for (int i = 0; i < EXPECTED.size(); i++) {
      assertThat(got.get(i).startMs()).isCloseTo(EXPECTED.get(i).startMs(), org.assertj.core.data.Offset.offset(INTERVAL_MS + 200));
      assertThat(got.get(i).endMs()).isCloseTo(EXPECTED.get(i).endMs(), org.assertj.core.data.Offset.offset(INTERVAL_MS + 200));
    }
  }

  private static Path burnIn(String ffmpeg) throws Exception {
    Path srt = dir.resolve("source.srt");
    Files.writeString(srt, SubtitleFormat.SRT.render(EXPECTED));
    Path video = dir.resolve("burned.mp4");
    String style = "FontName=DejaVu Sans,FontSize=22,PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=2,Shadow=0";
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "color=c=0x203040:s=640x360:d=8.5:r=25",
        "-vf", "subtitles=" + srt + ":force_style='" + style + "'",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", video.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(log).isTrue();
    return video;
  }

  private static OcrgateConfig config(KeyPair keys) throws Exception {
    Path pub = dir.resolve("e2e-key.pub.pem");
    Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 1;
    TestTls.certs().applyTo(config.tls);
    config.models = new ArrayList<>(List.of(RepoPaths.modelDir().toString()));
    config.metrics.enabled = false;
    // Two kinds of tokens verify: the built-in issuer's (iss "ocrgate", its JWKS file) and the
    // service account's self-signed ones (iss "svc-e2e", a PEM key).
    config.auth.issuers = new ArrayList<>(List.of("ocrgate", "svc-e2e"));
    AuthConfig.PemKey serviceAccountKey = new AuthConfig.PemKey("e2e-key", pub.toString());
    serviceAccountKey.issuer = "svc-e2e"; // each key is trusted for one issuer
    config.auth.pem_keys = new ArrayList<>(List.of(serviceAccountKey));
    Path keysDir = dir.resolve("issuer-keys");
    config.issuer.enabled = true;
    config.issuer.keys_dir = keysDir.toString();
    config.issuer.access_ttl_seconds = 2;
    config.auth.jwks_file = keysDir.resolve("jwks.json").toString();
    config.auth.jwks_file_issuer = "ocrgate";
    Path clients = dir.resolve("clients.yaml");
    Files.writeString(clients, "clients:\n  - id: e2e-app\n    secret_hash: '"
        + SecretHash.hash("e2e-secret-value".toCharArray(), SecretHash.MIN_ITERATIONS).encode()
        + "'\n    tenant: e2e\n    scopes: [ocr:recognize, ocr:stream]\n");
    config.issuer.clients_file = clients.toString();
    return config;
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static List<SubtitleCue> parseSrt(String srt) {
    List<SubtitleCue> cues = new ArrayList<>();
    Matcher m = SRT_CUE.matcher(srt);
    while (m.find()) {
      cues.add(new SubtitleCue(ms(m, 1), ms(m, 5), m.group(9).strip()));
    }
    return cues;
  }

  private static long ms(Matcher m, int g) {
    return ((Long.parseLong(m.group(g)) * 60 + Long.parseLong(m.group(g + 1))) * 60
        + Long.parseLong(m.group(g + 2))) * 1000 + Long.parseLong(m.group(g + 3));
  }

  private static int editDistance(String a, String b) {
    return TextSimilarity.editDistance(a.codePoints().toArray(), b.codePoints().toArray());
  }
}
