package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** The global bound on concurrent PBKDF2: full means refused at once, with RetryInfo, and no hashing. */
class SecretCheckGateTest {
  private static final SecretHash HASH = SecretHash.hash("right".toCharArray(), SecretHash.MIN_ITERATIONS);

  @Test
  void verify_everyPermitTaken_isResourceExhaustedWithRetryInfo_andHashesNothing() throws Exception {
    Semaphore permits = new Semaphore(2);
    SecretCheckGate gate = new SecretCheckGate(permits, Duration.ofMillis(1500));
    permits.acquire(2); // two checks "running"
    long before = SecretHash.derivations();

    assertThatThrownBy(() -> gate.verify(HASH, "right".toCharArray()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          RetryInfo retry = retryInfo(e);
          assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);
          assertThat(retry.getRetryDelay().getNanos()).isEqualTo(500_000_000);
        });
    assertThat(SecretHash.derivations()).isEqualTo(before);
    assertThat(permits.availablePermits()).isZero();

    permits.release();
    assertThat(gate.verify(HASH, "right".toCharArray())).isTrue();
    assertThat(gate.verify(HASH, "wrong".toCharArray())).isFalse();
    assertThat(SecretHash.derivations() - before).isEqualTo(2);
    assertThat(permits.availablePermits()).as("permits are returned").isEqualTo(1);
  }

  private static RetryInfo retryInfo(StatusException e) {
    try {
      return StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class);
    } catch (InvalidProtocolBufferException x) {
      throw new AssertionError("no RetryInfo detail", x);
    }
  }
}
