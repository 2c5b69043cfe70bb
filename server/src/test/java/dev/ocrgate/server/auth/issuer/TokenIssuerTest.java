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
  private final IssuerSettings settings = new IssuerSettings("ocrgate", "ocrgate", "tenant_id",
      Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofSeconds(60), 2, Duration.ofMinutes(5));
  private TokenIssuer issuer;

  @BeforeAll
  static void keys() {
    hash = SecretHash.hash(SECRET.toCharArray(), SecretHash.MIN_ITERATIONS);
    keys = KeyRing.of(SigningKeys.generate("RS256"));
  }

  private TokenIssuer issuer() {
    if (issuer == null) {
      ClientRegistry clients = ClientRegistry.of(List.of(
          new RegisteredClient("app", hash, Set.of("ocr:recognize", "ocr:stream"), "acme", "app-sub")));
      FailureThrottle throttle = InMemoryFailureThrottle.create(settings.maxFailures(), settings.failureWindow(),
          () -> nanos[0], 1000);
      issuer = new TokenIssuer(clients, () -> keys, refreshTokens, revocations, throttle, settings, clock);
    }
    return issuer;
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
