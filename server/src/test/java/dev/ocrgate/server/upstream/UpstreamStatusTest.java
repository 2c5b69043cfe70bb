package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamStatusTest {
  static Optional<Duration> retryDelay(StatusException e) throws Exception {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    if (s == null) {
      return Optional.empty();
    }
    for (com.google.protobuf.Any any : s.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
        return Optional.of(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
      }
    }
    return Optional.empty();
  }

  @Test
  void forHttp_mapsEachClassOfStatus() throws Exception {
    assertThat(UpstreamStatus.forHttp(400, Optional.empty()).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(UpstreamStatus.forHttp(401, Optional.empty()).getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(UpstreamStatus.forHttp(403, Optional.empty()).getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(UpstreamStatus.forHttp(500, Optional.empty()).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    StatusException busy = UpstreamStatus.forHttp(429, Optional.of(Duration.ofSeconds(7)));
    assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(retryDelay(busy)).contains(Duration.ofSeconds(7));
    StatusException down = UpstreamStatus.forHttp(503, Optional.empty());
    assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(retryDelay(down)).contains(UpstreamStatus.DEFAULT_RETRY);
    assertThat(retryDelay(UpstreamStatus.forHttp(400, Optional.empty()))).isEmpty();
  }

  @Test
  void retryAfter_secondsOrHttpDate_elseEmpty() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    assertThat(UpstreamStatus.retryAfter(Optional.of("3"), clock)).contains(Duration.ofSeconds(3));
    assertThat(UpstreamStatus.retryAfter(Optional.of("Sun, 01 Mar 2026 12:00:30 GMT"), clock))
        .contains(Duration.ofSeconds(30));
    assertThat(UpstreamStatus.retryAfter(Optional.of("Sun, 01 Mar 2026 11:00:00 GMT"), clock)).contains(Duration.ZERO);
    assertThat(UpstreamStatus.retryAfter(Optional.of("soon"), clock)).isEmpty();
    assertThat(UpstreamStatus.retryAfter(Optional.of("-1"), clock)).isEmpty();
    assertThat(UpstreamStatus.retryAfter(Optional.empty(), clock)).isEmpty();
  }
}
