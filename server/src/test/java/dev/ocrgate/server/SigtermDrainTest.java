package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.server.testing.SlowServerMain;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(portFile) && System.nanoTime() < until && process.isAlive()) {
        Thread.sleep(50);
      }
      assertThat(portFile).as(Files.exists(tmp.resolve("server.log"))
          ? Files.readString(tmp.resolve("server.log")) : "no log").exists();
      int port = Integer.parseInt(Files.readString(portFile).trim());
      channel = Grpc.newChannelBuilderForAddress("localhost", port, TestTls.clientCredentials()).build();
      var inFlight =
          OcrServiceGrpc.newFutureStub(channel).recognize(OcrgateServerTest.slowRequest(2.0f, 42));
      Path entered = tmp.resolve("entered");
      long enteredBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(entered) && System.nanoTime() < enteredBy) {
        Thread.sleep(20); // the signal must arrive while the call is in the handler
      }
      assertThat(entered).as("call reached the handler").exists();

      process.destroy(); // SIGTERM on Linux

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
}
