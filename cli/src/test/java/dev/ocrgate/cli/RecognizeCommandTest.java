package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecognizeCommandTest {
  @TempDir Path dir;
  private OcrgateServer server;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    server = OcrgateServer.builder(config).addInterceptor(ColorOcrService.requireToken()).addService(new ColorOcrService()).build().start();
  }

  @AfterEach
  void stop() {
    server.shutdownGracefully();
  }

  private int run(String... args) {
    RecognizeCommand cmd = new RecognizeCommand();
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = "127.0.0.1:" + server.port();
    all[args.length + 2] = "--ca";
    all[args.length + 3] = TestTls.certs().caCert().toString();
    return new CommandLine(cmd).execute(all);
  }

  @Test
  void verify_json_oneLinePerImage_withBoxes() throws Exception {
    Path a = Files.write(dir.resolve("a.png"), new byte[7]);
    Path b = Files.write(dir.resolve("b.png"), new byte[11]);
    Path tokenFile = Files.writeString(dir.resolve("token"), ColorOcrService.TOKEN + "\n");

    int exit = run(a.toString(), b.toString(), "--json", "--token-file", tokenFile.toString());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.get("file").asText()).isEqualTo(a.toString());
    assertThat(first.at("/lines/0/text").asText()).isEqualTo("size:7");
    assertThat(first.at("/lines/0/box").toString()).isEqualTo("[[1.0,2.0],[9.0,2.0],[9.0,6.0],[1.0,6.0]]");
    assertThat(new ObjectMapper().readTree(lines[1]).at("/lines/0/text").asText()).isEqualTo("size:11");
  }

  @Test
  void verify_text_andAMissingFile_exit1_butTheOthersArePrinted() throws Exception {
    Path a = Files.write(dir.resolve("a.png"), new byte[3]);

    int exit = run(a.toString(), dir.resolve("missing.png").toString(), "--token", ColorOcrService.TOKEN);

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("==> " + a + " <==\nsize:3\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.png: cannot read");
  }

  @Test
  void verify_noToken_isUnauthenticated() throws Exception {
    Path a = Files.write(dir.resolve("a.png"), new byte[3]);

    int exit = run(a.toString(), "--token", "nope");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("UNAUTHENTICATED: invalid token");
  }
}
