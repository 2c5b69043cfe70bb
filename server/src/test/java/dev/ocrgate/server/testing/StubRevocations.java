package dev.ocrgate.server.testing;

import dev.ocrgate.server.auth.RevocationStore;
import java.lang.reflect.Proxy;
import java.util.function.BooleanSupplier;

/**
 * A {@link RevocationStore} whose every {@code isRevoked} answers {@code revoked} (which may block,
 * to stand for a stalled store); revocations written to it are ignored. A proxy, so it answers
 * whichever {@code isRevoked} overload the interceptor calls.
 */
public final class StubRevocations {
  private StubRevocations() {}

  public static RevocationStore answering(BooleanSupplier revoked) {
    return (RevocationStore) Proxy.newProxyInstance(RevocationStore.class.getClassLoader(),
        new Class<?>[] {RevocationStore.class}, (proxy, method, args) -> switch (method.getName()) {
          case "isRevoked" -> revoked.getAsBoolean();
          case "healthy" -> true;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "StubRevocations";
          default -> null; // revoke*, close: nothing to do
        });
  }
}
