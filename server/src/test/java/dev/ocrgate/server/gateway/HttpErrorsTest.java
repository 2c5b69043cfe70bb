package dev.ocrgate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.ratelimit.Decision;
import dev.ocrgate.server.ratelimit.RateLimitStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode body(FullHttpResponse r) throws Exception {
    try {
      return JSON.readTree(r.content().toString(StandardCharsets.UTF_8));
    } finally {
      r.release();
    }
  }

  @ParameterizedTest
  @CsvSource({
      "OK, 200", "CANCELLED, 499", "UNKNOWN, 500", "INVALID_ARGUMENT, 400", "DEADLINE_EXCEEDED, 504",
      "NOT_FOUND, 404", "ALREADY_EXISTS, 409", "PERMISSION_DENIED, 403", "UNAUTHENTICATED, 401",
      "RESOURCE_EXHAUSTED, 429", "FAILED_PRECONDITION, 400", "ABORTED, 409", "OUT_OF_RANGE, 400",
      "UNIMPLEMENTED, 501", "INTERNAL, 500", "UNAVAILABLE, 503", "DATA_LOSS, 500"})
  void httpStatus_followsGooglesMapping(Status.Code code, int http) {
    assertThat(HttpErrors.httpStatus(code).code()).isEqualTo(http);
  }

  @Test
  void rateLimited_is429_withRetryAfterRoundedUpFromRetryInfo() throws Exception {
    StatusRuntimeException e = RateLimitStatus.exhausted(Decision.deny(2_300_000_000L, Decision.SUBJECT));
    FullHttpResponse r = HttpErrors.fromGrpc(e.getStatus(), e.getTrailers(), true);
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(r.headers().get("Retry-After")).isEqualTo("3");
    JsonNode b = body(r);
    assertThat(b.path("code").asInt()).isEqualTo(429);
    assertThat(b.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(b.path("message").asText()).isEqualTo("rate limit exceeded");
  }

  @Test
  void messageOverTheTransportLimit_is413() throws Exception {
    FullHttpResponse r = HttpErrors.fromGrpc(Status.RESOURCE_EXHAUSTED
        .withDescription("request message larger than 16384 bytes for this method"), new Metadata(), true);
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(r.headers().contains("Retry-After")).isFalse();
    r.release();
  }

  @Test
  void unavailable_is503_withRetryAfter() {
    FullHttpResponse r = HttpErrors.fromGrpc(Status.UNAVAILABLE.withDescription("draining"), new Metadata(), true);
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(r.headers().get("Retry-After")).isEqualTo("1");
    r.release();
  }

  @Test
  void permissionDenied_namesOnlyAWellFormedScope() {
    FullHttpResponse ok = HttpErrors.fromGrpc(Status.PERMISSION_DENIED.withDescription("missing scope: ocr:recognize"),
        new Metadata(), true);
    assertThat(ok.headers().get("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"ocrgate\", error=\"insufficient_scope\", scope=\"ocr:recognize\"");
    ok.release();
    FullHttpResponse quoted = HttpErrors.fromGrpc(Status.PERMISSION_DENIED.withDescription("missing scope: a\"b"),
        new Metadata(), true);
    assertThat(quoted.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"ocrgate\", error=\"insufficient_scope\"");
    quoted.release();
    FullHttpResponse noPolicy = HttpErrors.fromGrpc(Status.PERMISSION_DENIED.withDescription("method not allowed"),
        new Metadata(), true);
    assertThat(noPolicy.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"ocrgate\", error=\"insufficient_scope\"");
    noPolicy.release();
  }

  @Test
  void body_isValidJson_evenForAMessageWithQuotesAndNewlines() throws Exception {
    FullHttpResponse r = HttpErrors.response(HttpResponseStatus.BAD_REQUEST,
        Status.Code.INVALID_ARGUMENT, "a \"quoted\"\nline", null);
    assertThat(r.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(body(r).path("message").asText()).isEqualTo("a \"quoted\"\nline");
  }
}
