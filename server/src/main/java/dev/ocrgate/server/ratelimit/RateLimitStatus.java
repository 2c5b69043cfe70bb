package dev.ocrgate.server.ratelimit;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The status a denied call or stream ends with: {@code RESOURCE_EXHAUSTED}, a fixed message, and a
 * {@code google.rpc.RetryInfo} detail carrying the retry delay (rounded up to the millisecond).
 */
public final class RateLimitStatus {
  /** The fixed description clients see. */
  public static final String MESSAGE = "rate limit exceeded";

  private RateLimitStatus() {}

  /** The exception (status plus trailers with the details) for a denial. */
  public static StatusRuntimeException exhausted(Decision denied) {
    long millis = Math.max(1, (denied.retryAfterNanos() + 999_999) / 1_000_000);
    RetryInfo retry =
        RetryInfo.newBuilder()
            .setRetryDelay(Duration.newBuilder()
                .setSeconds(millis / 1000)
                .setNanos((int) (millis % 1000) * 1_000_000))
            .build();
    Status status =
        Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage(MESSAGE)
            .addDetails(Any.pack(retry))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
