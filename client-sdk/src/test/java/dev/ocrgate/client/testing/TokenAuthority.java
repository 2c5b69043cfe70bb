package dev.ocrgate.client.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test servers' notion of valid tokens: opaque random strings minted here with an expiry.
 * Shared by a server and its restarted successor. Thread-safe.
 */
public final class TokenAuthority {
  private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
  private final Map<String, String> denied = new ConcurrentHashMap<>();
  private final AtomicInteger minted = new AtomicInteger();
  private final Clock clock;

  public TokenAuthority(Clock clock) {
    this.clock = clock;
  }

  /** A new token valid for {@code lifetime}. */
  public String mint(Duration lifetime) {
    String token = "tok-" + minted.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    expiries.put(token, clock.instant().plus(lifetime));
    return token;
  }

  public Instant expiryOf(String token) {
    return expiries.get(token);
  }

  /** Makes {@code token} invalid from now on (as a revocation would). */
  public void revoke(String token) {
    expiries.put(token, Instant.MIN);
  }

  /** Tokens whose calls are answered PERMISSION_DENIED (a valid token without the scope). */
  public void denyScope(String token) {
    denied.put(token, token);
  }

  public boolean isDenied(String token) {
    return denied.containsKey(token);
  }

  public boolean isValid(String token, Instant now) {
    Instant exp = expiries.get(token);
    return exp != null && now.isBefore(exp);
  }

  public int mintedCount() {
    return minted.get();
  }

  public Clock clock() {
    return clock;
  }
}
