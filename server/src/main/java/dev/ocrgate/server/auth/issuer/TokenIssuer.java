package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.api.v1.TokenResponse;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.auth.TokenMinter;
import io.grpc.Status;
import io.grpc.StatusException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-credentials grant and refresh-token rotation. Every failure is a {@link StatusException}
 * with a fixed short description; logs name a configured client id or family, never a secret, a
 * token or a caller-chosen id as sent (an id that is not configured is logged as a short hash,
 * {@link #forLog}).
 *
 * <ul>
 *   <li>Issue: throttled client → RESOURCE_EXHAUSTED; every secret check (known id or not) is one
 *       PBKDF2 of the same cost through the {@link SecretCheckGate} (all permits taken →
 *       RESOURCE_EXHAUSTED with RetryInfo); unknown client or wrong secret → UNAUTHENTICATED; a
 *       scope beyond the client's → PERMISSION_DENIED. The per-peer budget is charged before
 *       this, by {@link PeerLimit}.
 *   <li>Refresh tokens only when {@link IssuerSettings#refreshTokens} (off by default, RFC 6749
 *       section 4.4.3). A refresh token is opaque (32 random bytes, base64url), stored as its
 *       SHA-256, valid once. Presenting a used one is reuse: the family is revoked with every
 *       access token it produced, and the call is UNAUTHENTICATED. A chain ends, whatever its
 *       rotations, at its absolute lifetime from the IssueToken that started it, and as soon as
 *       the client's secret hash differs from the one it started with (secret rotated); its
 *       tokens' TTL never reaches past that end.
 *   <li>Stores unreachable → UNAVAILABLE (never issue what could not be recorded).
 * </ul>
 *
 * <p>Thread-safe: all state is in the injected stores, the throttle, the gate and the key ring
 * supplier.
 */
public final class TokenIssuer {
  private static final Logger log = LoggerFactory.getLogger(TokenIssuer.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final int MAX_INPUT_CHARS = 1024;

  private final ClientRegistry clients;
  private final Supplier<KeyRing> keys;
  private final RefreshTokenStore refreshTokens;
  private final RevocationStore revocations;
  private final FailureThrottle throttle;
  private final SecretCheckGate gate;
  private final IssuerSettings settings;
  private final Clock clock;

  TokenIssuer(ClientRegistry clients, Supplier<KeyRing> keys, RefreshTokenStore refreshTokens,
      RevocationStore revocations, FailureThrottle throttle, SecretCheckGate gate, IssuerSettings settings,
      Clock clock) {
    this.clients = clients;
    this.keys = keys;
    this.refreshTokens = refreshTokens;
    this.revocations = revocations;
    this.throttle = throttle;
    this.gate = gate;
    this.settings = settings;
    this.clock = clock;
  }

  /** The client-credentials grant. */
  public TokenResponse issue(String clientId, String secret, List<String> requestedScopes) throws StatusException {
    if (clientId.isEmpty() || clientId.length() > 256 || secret.isEmpty() || secret.length() > MAX_INPUT_CHARS) {
      throw status(Status.UNAUTHENTICATED, "invalid client credentials");
    }
    if (throttle.blocked(clientId)) {
      log.warn("token request refused: too many failed attempts for client_id={}", forLog(clientId));
      throw status(Status.RESOURCE_EXHAUSTED, "too many failed attempts, try later");
    }
    RegisteredClient client = authenticate(clientId, secret);
    List<String> scopes = grantedScopes(requestedScopes, client.scopes());
    long now = clock.millis();
    RefreshGrant grant = new RefreshGrant(random(16), client.id(), client.subject(), client.tenant(), scopes, now,
        now, client.secret().fingerprint());
    TokenResponse response = tokens(grant, scopes);
    log.info("token issued: client_id={} sub={} scopes={}", client.id(), client.subject(), scopes);
    return response;
  }

  /** Rotates a refresh token: a new access token and a new refresh token in the same family. */
  public TokenResponse refresh(String refreshToken, List<String> requestedScopes) throws StatusException {
    if (!settings.refreshTokens() || refreshToken.isEmpty() || refreshToken.length() > MAX_INPUT_CHARS) {
      throw status(Status.UNAUTHENTICATED, "invalid refresh token");
    }
    try {
      RefreshTokenStore.Redemption r = refreshTokens.redeem(sha256(refreshToken));
      switch (r.outcome()) {
        case UNKNOWN:
          throw status(Status.UNAUTHENTICATED, "invalid refresh token");
        case REUSED:
          revokeFamily(r.grant());
          throw status(Status.UNAUTHENTICATED, "invalid refresh token");
        default:
          return rotate(r.grant(), requestedScopes);
      }
    } catch (StoreUnavailableException e) {
      throw unavailable(e);
    }
  }

  private TokenResponse rotate(RefreshGrant old, List<String> requestedScopes)
      throws StatusException, StoreUnavailableException {
    RegisteredClient client = clients.find(old.clientId()).orElse(null);
    if (client == null || chainEnded(old, client)
        || refreshTokens.familyRevoked(old.familyId())
        || revocations.isRevoked(RevocationStore.Scope.of(settings.issuer(), old.tenant()), null, old.subject(),
            Instant.ofEpochMilli(old.issuedAtMillis()))) {
      throw status(Status.UNAUTHENTICATED, "invalid refresh token");
    }
    List<String> scopes = grantedScopes(requestedScopes, Set.copyOf(old.scopes()));
    scopes.retainAll(client.scopes()); // a client whose allowance shrank gets only what it still has
    return tokens(old.rotated(clock.millis()), scopes);
  }

  /** Past the chain's absolute end, or the client's secret changed since the chain started. */
  private boolean chainEnded(RefreshGrant grant, RegisteredClient client) {
    if (!client.secret().fingerprint().equals(grant.secretFingerprint())) {
      log.info("refresh refused: the secret of client_id={} changed since the chain started (family={})",
          client.id(), grant.familyId());
      return true;
    }
    return chainEndMillis(grant) <= clock.millis();
  }

  private long chainEndMillis(RefreshGrant grant) {
    return grant.chainStartedAtMillis() + settings.refreshMaxLifetime().toMillis();
  }

  private void revokeFamily(RefreshGrant grant) throws StoreUnavailableException {
    Map<String, Instant> jtis = refreshTokens.revokeFamily(grant.familyId(), settings.refreshTtl());
    for (Map.Entry<String, Instant> e : jtis.entrySet()) {
      revocations.revokeJti(RevocationStore.Scope.of(settings.issuer(), grant.tenant()), e.getKey(),
          e.getValue().plus(settings.clockSkew()));
    }
    log.warn("refresh token REUSE detected: client_id={} family={} revoked with {} access tokens",
        grant.clientId(), grant.familyId(), jtis.size());
  }

  private RegisteredClient authenticate(String clientId, String secret) throws StatusException {
    char[] chars = secret.toCharArray();
    try {
      RegisteredClient client = clients.find(clientId).orElse(null);
      // One code path for known and unknown ids: the same gate, a hash of the same cost.
      boolean matches = gate.verify(client == null ? clients.unknownClientHash() : client.secret(), chars);
      if (client == null || !matches) {
        throttle.recordFailure(clientId);
        log.warn("client authentication failed: client_id={}", client == null ? forLog(clientId) : client.id());
        throw status(Status.UNAUTHENTICATED, "invalid client credentials");
      }
      return client;
    } finally {
      SecretHash.wipe(chars);
    }
  }

  private static List<String> grantedScopes(List<String> requested, Set<String> allowed) throws StatusException {
    if (requested.isEmpty()) {
      return new ArrayList<>(new TreeSet<>(allowed));
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : requested) {
      if (!allowed.contains(s)) {
        throw status(Status.PERMISSION_DENIED, "scope not allowed for this client");
      }
      out.add(s);
    }
    return new ArrayList<>(out);
  }

  /**
   * Signs an access token; with refresh tokens on, records it in the family and stores a new
   * refresh token that lives no longer than the chain.
   */
  private TokenResponse tokens(RefreshGrant grant, List<String> scopes) throws StatusException {
    TokenMinter minter = TokenMinter.of(keys.get().current(), settings.issuer(), settings.tenantClaim(), clock);
    MintedToken access = MintedToken.of(minter.mint(grant.subject(), scopes, settings.accessTtl(),
        settings.audience(), grant.tenant(), Map.of("client_id", grant.clientId())));
    TokenResponse.Builder response = TokenResponse.newBuilder()
        .setAccessToken(access.token())
        .setTokenType("Bearer")
        .setExpiresIn((int) settings.accessTtl().toSeconds())
        .addAllScopes(scopes);
    if (!settings.refreshTokens()) {
      return response.build();
    }
    Duration ttl = Duration.ofMillis(Math.min(settings.refreshTtl().toMillis(), chainEndMillis(grant) - clock.millis()));
    if (ttl.toSeconds() < 1) {
      return response.build(); // the chain ends within the second: nothing worth storing
    }
    String refresh = random(32);
    try {
      refreshTokens.addAccessToken(grant.familyId(), access.jti(), access.expiresAt(), settings.refreshTtl());
      refreshTokens.save(sha256(refresh), grant, ttl);
    } catch (StoreUnavailableException e) {
      throw unavailable(e);
    }
    return response.setRefreshToken(refresh).setRefreshExpiresIn((int) ttl.toSeconds()).build();
  }

  /**
   * A caller-supplied client id for a log line: a configured id as it is (it comes from the
   * operator's file), anything else as {@code unknown#} and 8 hex digits of its SHA-256, so a
   * caller can neither write into the log nor flood it with long values, and repeated attempts
   * with one id can still be correlated.
   */
  String forLog(String clientId) {
    if (clients.find(clientId).isPresent()) {
      return clientId;
    }
    return "unknown#" + HexFormat.of().formatHex(sha256Bytes(clientId), 0, 4);
  }

  static String sha256(String token) {
    return B64URL.encodeToString(sha256Bytes(token));
  }

  private static byte[] sha256Bytes(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return B64URL.encodeToString(b);
  }

  private static StatusException status(Status code, String description) {
    return code.withDescription(description).asException();
  }

  private static StatusException unavailable(StoreUnavailableException e) {
    log.warn("token store unavailable: {}", e.getMessage());
    return Status.UNAVAILABLE.withDescription("token store unavailable").asException();
  }
}
