package dev.ocrgate.server.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.testing.RepoPaths;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every facade method produces its documented Prometheus name, and docs/metrics.md lists exactly those. */
class MetricNamesTest {
  private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (ocrgate_\\w+) (\\w+)$");
  private static final Pattern DOC_ROW = Pattern.compile("(?m)^\\| `(ocrgate_\\w+)` \\| (\\w+) \\|");

  @Test
  void verify_everyMeter_hasItsDocumentedNameAndType() throws Exception {
    String scrape;
    try (Metrics metrics = Metrics.prometheus()) {
      GrpcServerMetrics grpc = GrpcServerMetrics.create(metrics);
      grpc.interceptCall(new NoopServerCall(), new Metadata(), (call, headers) -> {
        call.close(Status.OK, new Metadata());
        return new ServerCall.Listener<>() {};
      });
      metrics.authFailure("expired");
      metrics.rateLimitRejected("subject");
      metrics.registerQueueDepth("rec", () -> 3);
      metrics.queueWait("rec", 2_000_000);
      metrics.batchSize("rec", 8);
      metrics.inference("ppocr-v4/rec", "CPU", 5_000_000);
      metrics.frame(Metrics.FrameOutcome.REUSED);
      metrics.subtitleLines(2, 5);
      metrics.cueEmitted();
      metrics.registerStreamAdmission(() -> 12, () -> 3);
      metrics.registerRedisUp(() -> true);
      metrics.redisError("revocation_get");
      UpstreamMetrics upstream = UpstreamMetrics.create(metrics, "hunyuan-ocr");
      upstream.onExchange("200", 5_000_000);
      upstream.onError("429");
      upstream.onTokens(700, 12);
      upstream.register(() -> 2, () -> true);
      scrape = metrics.scrape().orElseThrow();
      assertThat(scrape)
          .contains("ocrgate_auth_failures_total{reason=\"expired\"} 1")
          .contains("ocrgate_batch_queue_depth{queue=\"rec\"} 3")
          .contains("ocrgate_inference_duration_seconds_count{model=\"ppocr-v4/rec\",provider=\"CPU\"} 1")
          .contains("ocrgate_stream_frames_total{result=\"reused\"} 1")
          .contains("ocrgate_stream_subtitle_lines_total{result=\"skipped\"} 5.0")
          .contains("ocrgate_stream_frames_in_flight 12")
          .contains("ocrgate_stream_waiting_streams 3")
          .contains("ocrgate_redis_up 1")
          .contains("ocrgate_upstream_tokens_total{kind=\"prompt\",model=\"hunyuan-ocr\"} 700")
          .contains("ocrgate_upstream_requests_in_flight{model=\"hunyuan-ocr\"} 2");
    }
    Set<String> scraped = new TreeSet<>();
    Matcher m = TYPE_LINE.matcher(scrape);
    while (m.find()) {
      if (!m.group(1).endsWith("_max")) {
        scraped.add(m.group(1) + " " + m.group(2));
      }
    }
    Set<String> documented = new TreeSet<>();
    Matcher d = DOC_ROW.matcher(Files.readString(RepoPaths.root().resolve("docs/metrics.md")));
    while (d.find()) {
      documented.add(d.group(1) + " " + d.group(2));
    }
    assertThat(documented).isNotEmpty().isEqualTo(scraped);
  }

  @Test
  void verify_noopMetrics_acceptsEveryCallAndScrapesNothing() {
    Metrics metrics = Metrics.noop();
    metrics.authFailure("missing");
    metrics.registerQueueDepth("det", () -> 1);
    metrics.inference("m", "CPU", 1);
    assertThat(metrics.scrape()).isEmpty();
  }
}
