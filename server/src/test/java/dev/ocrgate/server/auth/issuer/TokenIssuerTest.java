package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.api.v1.TokenResponse;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.testing.MutableClock;
import dev.ocrgate.server.auth.SigningKeys;
import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issuer on the one-node stores (in-memory revocation and refresh tokens) with a fake clock:
 * expiry, throttle window, scope narrowing and subject cut-off, deterministically.
 */
class TokenIssuerTest {
  private static final String SECRET = "correct horse battery staple";
  private static final RevocationStore.Scope ACME = RevocationStore.Scope.of("ocrgate", "acme");
  private static SecretHash hash;
  private static KeyRing keys;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final long[] nanos = {0};
  private final InMemoryRevocationStore revocations = InMemoryRevocationStore.create(clock);
  private final InMemoryRefreshTokenStore refreshTokens = InMemoryRefreshTokenStore.create(clock);
  private IssuerSettings settings = new IssuerSettings("ocrgate", "ocrgate", "tenant_id",
      Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofSeconds(60), 2, Duration.ofMinutes(5))
      .withRefreshTokens(Duration.ofHours(3));
  private TokenIssuer issuer;

  @BeforeAll
  static void keys() {
    hash = SecretHash.hash(SECRET.toCharArray(), SecretHash.MIN_ITERATIONS);
    keys = KeyRing.of(SigningKeys.generate("RS256"));
  }

  private TokenIssuer issuer() {
    if (issuer == null) {
      issuer = issuerWith(hash);
    }
    return issuer;
  }

  /** An issuer whose client "app" has {@code secretHash}, on this test's stores and clock. */
  private TokenIssuer issuerWith(SecretHash secretHash) {
    ClientRegistry clients = ClientRegistry.of(List.of(
        new RegisteredClient("app", secretHash, Set.of("ocr:recognize", "ocr:stream"), "acme", "app-sub")));
    FailureThrottle throttle = InMemoryFailureThrottle.create(settings.maxFailures(), settings.failureWindow(),
        () -> nanos[0], 1000);
    return new TokenIssuer(clients, () -> keys, refreshTokens, revocations, throttle,
        SecretCheckGate.create(2, Duration.ofSeconds(1)), settings, clock);
  }

  @Test
  void refresh_chainEndsAtItsAbsoluteLifetime_howeverOftenItIsRotated() throws Exception {
    // refresh TTL 1 h, chain lifetime 3 h: rotating every 50 min keeps each token fresh
    TokenResponse t = issuer().issue("app", SECRET, List.of());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(50));
      t = issuer().refresh(t.getRefreshToken(), List.of());
    }
    // 2 h 30 min in: the new token's TTL stops at the chain's end, 30 min away, not 1 h
    assertThat(t.getRefreshExpiresIn()).isEqualTo(30 * 60);
    clock.advance(Duration.ofMinutes(29));
    TokenResponse last = issuer().refresh(t.getRefreshToken(), List.of());
    assertThat(last.getRefreshExpiresIn()).isEqualTo(60);

    clock.advance(Duration.ofMinutes(1));

    String rt = last.getRefreshToken();
    assertStatus(() -> issuer().refresh(rt, List.of()), Status.Code.UNAUTHENTICATED);
  }

  @Test
  void refresh_chainStartedBeforeTheClientsSecretRotated_isUnauthenticated() throws Exception {
    TokenResponse t = issuer().issue("app", SECRET, List.of());
    TokenResponse rotatedOnce = issuer().refresh(t.getRefreshToken(), List.of());
    SecretHash rotated = SecretHash.hash("the new secret".toCharArray(), SecretHash.MIN_ITERATIONS);
    TokenIssuer afterRotation = issuerWith(rotated); // same stores: as after a restart with the new file

    assertStatus(() -> afterRotation.refresh(rotatedOnce.getRefreshToken(), List.of()), Status.Code.UNAUTHENTICATED);
    assertStatus(() -> afterRotation.issue("app", SECRET, List.of()), Status.Code.UNAUTHENTICATED);
    TokenResponse fresh = afterRotation.issue("app", "the new secret", List.of());
    assertThat(afterRotation.refresh(fresh.getRefreshToken(), List.of()).getAccessToken()).isNotEmpty();
  }

  @Test
  void refreshTokens_offByDefault_noneIsIssued_andRefreshIsRefused() throws Exception {
    settings = IssuerSettings.defaults();
    TokenResponse t = issuer().issue("app", SECRET, List.of());

    assertThat(t.getAccessToken()).isNotEmpty();
    assertThat(t.getRefreshToken()).isEmpty();
    assertThat(t.getRefreshExpiresIn()).isZero();
    assertStatus(() -> issuer().refresh("any-refresh-token", List.of()), Status.Code.UNAUTHENTICATED);
  }

  @Test
  void unknownClientId_isOnePbkdf2OfTheCostliestClientsParameters_onTheSamePath() throws Exception {
    SecretHash costly = SecretHash.hash("other".toCharArray(), 250_000);
    ClientRegistry clients = ClientRegistry.of(List.of(
        new RegisteredClient("app", hash, Set.of("ocr:recognize"), "acme", "app"),
        new RegisteredClient("costly", costly, Set.of("ocr:recognize"), "acme", "costly")));
    SecretHash dummy = clients.unknownClientHash();
    assertThat(dummy.iterations()).isEqualTo(250_000);
    assertThat(dummy.saltBytes()).isEqualTo(costly.saltBytes());
    assertThat(dummy.hashBytes()).isEqualTo(costly.hashBytes());
    assertThat(dummy.cost()).isEqualTo(costly.cost());

    TokenIssuer issuer = new TokenIssuer(clients, () -> keys, refreshTokens, revocations,
        InMemoryFailureThrottle.create(100, Duration.ofMinutes(5), () -> nanos[0], 1000),
        SecretCheckGate.create(1, Duration.ofSeconds(1)), settings, clock);
    long before = SecretHash.derivations();
    assertStatus(() -> issuer.issue("no-such-client", SECRET, List.of()), Status.Code.UNAUTHENTICATED);
    assertThat(SecretHash.derivations() - before).isEqualTo(1);
    assertStatus(() -> issuer.issue("costly", SECRET, List.of()), Status.Code.UNAUTHENTICATED);
    assertThat(SecretHash.derivations() - before).isEqualTo(2);
  }

  @Test
  void unknownClientId_isLoggedAsAShortHash_neverAsSent() {
    TokenIssuer issuer = issuer();
    String hostile = "evil\nFAKE LOG LINE " + "x".repeat(200);

    assertThat(issuer.forLog(hostile)).matches("unknown#[0-9a-f]{8}");
    assertThat(issuer.forLog(hostile)).isEqualTo(issuer.forLog(hostile));
    assertThat(issuer.forLog("app")).isEqualTo("app");
  }

  @Test
  void refresh_afterRefreshTtl_isUnauthenticated() throws Exception {
    TokenResponse t = issuer().issue("app", SECRET, List.of());
    assertThat(t.getScopesList()).containsExactly("ocr:recognize", "ocr:stream");

    clock.advance(Duration.ofHours(1).plusSeconds(1));

    assertStatus(() -> issuer().refresh(t.getRefreshToken(), List.of()), Status.Code.UNAUTHENTICATED);
  }

  @Test
  void refresh_narrowsScopes_butNeverWidens() throws Exception {
    TokenResponse t = issuer().issue("app", SECRET, List.of("ocr:recognize"));

    assertStatus(() -> issuer().refresh(t.getRefreshToken(), List.of("ocr:stream")), Status.Code.PERMISSION_DENIED);
    // the failed attempt above consumed the refresh token: a second use is reuse
    assertStatus(() -> issuer().refresh(t.getRefreshToken(), List.of()), Status.Code.UNAUTHENTICATED);
  }

  @Test
  void refresh_rotatesAndKeepsTheOriginalGrantScopes() throws Exception {
    TokenResponse t = issuer().issue("app", SECRET, List.of());
    TokenResponse narrowed = issuer().refresh(t.getRefreshToken(), List.of("ocr:stream"));
    TokenResponse again = issuer().refresh(narrowed.getRefreshToken(), List.of());

    assertThat(narrowed.getScopesList()).containsExactly("ocr:stream");
    assertThat(again.getScopesList()).containsExactly("ocr:recognize", "ocr:stream");
    assertThat(Set.of(t.getRefreshToken(), narrowed.getRefreshToken(), again.getRefreshToken())).hasSize(3);
  }

  @Test
  void reuse_revokesEveryAccessTokenOfTheFamily() throws Exception {
    TokenResponse t = issuer().issue("app", SECRET, List.of());
    TokenResponse next = issuer().refresh(t.getRefreshToken(), List.of());

    assertStatus(() -> issuer().refresh(t.getRefreshToken(), List.of()), Status.Code.UNAUTHENTICATED);

    for (TokenResponse r : List.of(t, next)) {
      MintedToken m = MintedToken.of(r.getAccessToken());
      assertThat(revocations.isRevoked(ACME, m.jti(), "app-sub", clock.instant())).isTrue();
    }
    assertStatus(() -> issuer().refresh(next.getRefreshToken(), List.of()), Status.Code.UNAUTHENTICATED);
  }

  @Test
  void subjectCutoff_revokesRefreshTokensIssuedBeforeIt() throws Exception {
    TokenResponse t = issuer().issue("app", SECRET, List.of());
    clock.advance(Duration.ofSeconds(5));
    revocations.revokeSubjectBefore(ACME, "app-sub", clock.instant(), settings.refreshTtl().plus(settings.clockSkew()));

    assertStatus(() -> issuer().refresh(t.getRefreshToken(), List.of()), Status.Code.UNAUTHENTICATED);
  }

  @Test
  void throttle_blocksAfterMaxFailures_untilTheWindowHasPassed() throws Exception {
    assertStatus(() -> issuer().issue("app", "wrong", List.of()), Status.Code.UNAUTHENTICATED);
    assertStatus(() -> issuer().issue("app", "wrong", List.of()), Status.Code.UNAUTHENTICATED);

    assertStatus(() -> issuer().issue("app", SECRET, List.of()), Status.Code.RESOURCE_EXHAUSTED);
    nanos[0] += Duration.ofMinutes(5).toNanos();
    assertThat(issuer().issue("app", SECRET, List.of()).getAccessToken()).isNotEmpty();
  }

  @Test
  void issue_unknownClientOrOversizedInput_isUnauthenticated() {
    assertStatus(() -> issuer().issue("nobody", SECRET, List.of()), Status.Code.UNAUTHENTICATED);
    assertStatus(() -> issuer().issue("app", "x".repeat(2000), List.of()), Status.Code.UNAUTHENTICATED);
    assertStatus(() -> issuer().refresh("", List.of()), Status.Code.UNAUTHENTICATED);
  }

  private interface Call {
    Object run() throws StatusException;
  }

  private static void assertStatus(Call call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }
}
