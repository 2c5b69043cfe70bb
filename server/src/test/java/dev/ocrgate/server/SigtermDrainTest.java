package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.server.testing.SlowServerMain;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real process: SIGTERM → NOT_SERVING, in-flight call completes, exit status 0. */
class SigtermDrainTest {
  @TempDir Path tmp;

  @Test
  void sigterm_drainsInFlightCall_andExitsZero() throws Exception {
    Path portFile = tmp.resolve("port");
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                javaBin.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SlowServerMain.class.getName(),
                portFile.toString(),
                TestTls.certs().dir().toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("server.log").toFile())
            .start();
    ManagedChannel channel = null;
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile) || !process.isAlive());
      assertThat(portFile).as(Files.exists(tmp.resolve("server.log"))
          ? Files.readString(tmp.resolve("server.log")) : "no log").exists();
      int port = Integer.parseInt(Files.readString(portFile).trim());
      channel = Grpc.newChannelBuilderForAddress("localhost", port, TestTls.clientCredentials()).build();
      // Held in the handler until the test releases it (a bound of 60 s if it never does).
      var inFlight =
          OcrServiceGrpc.newFutureStub(channel).recognize(OcrgateServerTest.slowRequest(60f, 42));
      Path entered = tmp.resolve("entered");
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(entered));

      // SIGTERM on Linux; through the handle, because Process.destroy also closes the child's stdin
      process.toHandle().destroy();

      // Draining: new calls are refused while the first one is still in its handler; then it may finish.
      ManagedChannel probe = channel;
      await().atMost(Duration.ofSeconds(30)).until(() -> refused(probe));
      assertThat(inFlight).isNotDone();
      try (Writer release = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
        release.write("release\n");
      }

      RecognizeResponse response = inFlight.get(30, TimeUnit.SECONDS);
      assertThat(response.getImageWidth()).isEqualTo(42);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(tmp.resolve("server.log"))).isZero();
      assertThat(Files.readString(tmp.resolve("server.log"))).contains("received SIGTERM");
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
      process.destroyForcibly();
    }
  }

  private static boolean refused(ManagedChannel channel) {
    try {
      OcrServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .recognize(OcrgateServerTest.slowRequest(0f, 1));
      return false;
    } catch (StatusRuntimeException e) {
      return true;
    }
  }
}
