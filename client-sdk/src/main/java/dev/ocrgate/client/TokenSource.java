package dev.ocrgate.client;

import java.io.IOException;

/**
 * Where access tokens come from. {@link TokenSources} has the implementations: a static token, a
 * token file, the client-credentials grant against ocrgate's {@code AuthService}, and a
 * self-signed service-account JWT.
 *
 * <p>The client wraps every source in one cache that refreshes ahead of expiry and makes sure at
 * most one {@link #fetch} runs at a time, always on the client's token executor (never on a gRPC
 * network thread). Implementations therefore may block and need not be thread-safe against
 * concurrent {@code fetch} calls made through the client.
 */
@FunctionalInterface
public interface TokenSource {
  /**
   * Obtains a token, blocking as long as it takes (a network call, a file read).
   *
   * @throws IOException when no token can be obtained now; the call that needed it fails with
   *     {@code UNAUTHENTICATED} and the next call tries again
   */
  AccessToken fetch() throws IOException;
}
