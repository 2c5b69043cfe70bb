package dev.ocrgate.server.upstream;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How an upstream answer or failure reaches the caller, one rule per case. Descriptions are
 * fixed and short: nothing from the upstream's body, URL or key is passed to the caller.
 * <ul>
 *   <li>400, 413, 422 → INVALID_ARGUMENT (the upstream refused this image);
 *   <li>401, 403, 404 → INTERNAL (ocrgate's key or served model name is wrong: the operator's
 *       fault, not the caller's; logged as such);
 *   <li>429 → RESOURCE_EXHAUSTED, 503 → UNAVAILABLE, both with {@code google.rpc.RetryInfo}
 *       (the upstream's Retry-After, else one second);
 *   <li>other statuses, connection failures, malformed answers → UNAVAILABLE;
 *   <li>no answer within the timeout → DEADLINE_EXCEEDED.
 * </ul>
 */
public final class UpstreamStatus {
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);

  private UpstreamStatus() {}

  /** The failure for a non-200 HTTP status. */
  public static StatusException forHttp(int code, Optional<Duration> retryAfter) {
    return switch (code) {
      case 400, 413, 422 -> Status.INVALID_ARGUMENT.withDescription("the OCR engine refused the image").asException();
      case 401, 403, 404 -> Status.INTERNAL.withDescription("OCR engine misconfigured").asException();
      case 429 -> withRetry(Code.RESOURCE_EXHAUSTED, "OCR engine overloaded", retryAfter);
      case 503 -> withRetry(Code.UNAVAILABLE, "OCR engine unavailable", retryAfter);
      default -> Status.UNAVAILABLE.withDescription("OCR engine failed").asException();
    };
  }

  /** True for the statuses a waiting retry may fix. */
  static boolean retryable(int code) {
    return code == 429 || code == 503;
  }

  /** No answer within the call's deadline or the request timeout. */
  static StatusException timeout() {
    return Status.DEADLINE_EXCEEDED.withDescription("OCR engine did not answer in time").asException();
  }

  /** The upstream could not be reached or dropped the connection. */
  static StatusException unreachable() {
    return Status.UNAVAILABLE.withDescription("OCR engine unreachable").asException();
  }

  /** The answer was not a chat completion (or was too large). */
  static StatusException malformed() {
    return Status.UNAVAILABLE.withDescription("OCR engine sent an unreadable answer").asException();
  }

  private static StatusException withRetry(Code code, String message, Optional<Duration> after) {
    long millis = Math.max(1, after.orElse(DEFAULT_RETRY).toMillis());
    RetryInfo retry = RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
        .build();
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage(message).addDetails(Any.pack(retry)).build();
    return StatusProto.toStatusException(status);
  }

  /**
   * A {@code Retry-After} value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as a delay
   * from {@code clock}'s now (0 for a date in the past); empty when absent or unreadable.
   */
  public static Optional<Duration> retryAfter(Optional<String> header, Clock clock) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().strip();
    if (v.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
