package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.MutableClock;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation through the production wiring ({@link ServerAssembly}) over real TLS, with the
 * built-in issuer OFF (tokens from an external identity provider, here two trusted issuers signing
 * with their own keys) and a fake clock; subclasses choose the revocation store. Every probe is a
 * Recognize without an image: INVALID_ARGUMENT means the token was accepted, UNAUTHENTICATED that
 * it was refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RevocationEndToEndContract {
  static final String IDP = "https://idp.example";
  static final String OCRGATE = "ocrgate";

  @TempDir static Path dir;
  final MutableClock clock = new MutableClock(Instant.now());
  SigningKey ocrgateKey;
  SigningKey idpKey;
  OcrgateServer server;
  ManagedChannel channel;

  @BeforeAll
  void start() throws Exception {
    ocrgateKey = SigningKeys.generate("RS256");
    idpKey = SigningKeys.generate("ES256");
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, SigningKey.jwksJson(List.of(ocrgateKey.publicJwk())));
    Path idpPem = dir.resolve("idp.pem");
    Files.writeString(idpPem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(idpKey.publicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    OcrgateConfig c = new OcrgateConfig();
    c.server.port = 0;
    c.server.drain_timeout_seconds = 1;
    c.metrics.enabled = false;
    c.models = List.of(RepoPaths.modelDir().toString());
    TestTls.certs().applyTo(c.tls);
    // each issuer signs with its own key: the JWKS file for ocrgate, a PEM key for the IdP
    c.auth.jwks_file = jwks.toString();
    c.auth.issuers = List.of(OCRGATE, IDP);
    c.auth.jwks_file_issuer = OCRGATE;
    AuthConfig.PemKey idp = new AuthConfig.PemKey(idpKey.kid(), idpPem.toString());
    idp.issuer = IDP;
    c.auth.pem_keys = List.of(idp);
    assertThat(c.issuer.enabled).as("the built-in issuer is off").isFalse();
    configureStore(c);
    server = ServerAssembly.assemble(c, clock).start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  /** Points {@code c} at the revocation store under test. */
  abstract void configureStore(OcrgateConfig c);

  @AfterAll
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
  }

  @Test
  void revokeToken_issuerOff_theRevokedTokenIsRefusedOnItsNextCall() {
    String victim = token(OCRGATE, "acme", "victim", Duration.ofHours(1), "ocr:recognize");
    assertAccepted(victim);

    revoke(admin("acme"), RevokeTokenRequest.newBuilder().setJti(jti(victim)));

    assertRevoked(victim);
    assertAccepted(token(OCRGATE, "acme", "victim", Duration.ofHours(1), "ocr:recognize"));
  }

  @Test
  void revokedOneHourToken_isStillRefusedAfterTheIssuersAccessTtl_untilItExpires() {
    // ocrgate token mints 1 h tokens; the issuer's access TTL is 15 min (+ 60 s skew), which is
    // how long a revocation used to be kept
    String victim = token(OCRGATE, "acme", "hour", Duration.ofHours(1), "ocr:recognize");
    revoke(admin("acme"), RevokeTokenRequest.newBuilder().setJti(jti(victim)));

    clock.advance(Duration.ofSeconds(900 + 60 + 1));
    assertRevoked(victim);
    clock.advance(Duration.ofMinutes(42)); // 58 min after minting
    assertRevoked(victim);
    clock.advance(Duration.ofMinutes(5)); // past exp + skew: refused as expired
    assertRefused(victim, "token expired");
  }

  @Test
  void tokensLivingLongerThanTheMaximum_areRefused() {
    assertRefused(token(OCRGATE, "acme", "long", Duration.ofHours(24).plusSeconds(1), "ocr:recognize"),
        "token lifetime too long");
    assertAccepted(token(OCRGATE, "acme", "long", Duration.ofHours(24), "ocr:recognize"));
    // without iat the lifetime cannot be bounded
    Instant now = clock.instant();
    String noIat = Jwts.builder().header().type("at+jwt").keyId(ocrgateKey.kid()).and()
        .issuer(OCRGATE).subject("long").audience().add("ocrgate").and().id("no-iat")
        .expiration(Date.from(now.plus(Duration.ofMinutes(5)))).claim("scope", "ocr:recognize")
        .signWith(ocrgateKey.signingKey()).compact();
    assertRefused(noIat, "missing required claim");
  }

  @Test
  void tenantAdmin_cannotRevokeAnotherTenantsSubjectOrToken() {
    String bToken = token(OCRGATE, "globex", "bob", Duration.ofHours(1), "ocr:recognize");
    String aAdmin = admin("acme");

    assertDenied(aAdmin, RevokeTokenRequest.newBuilder().setSubject("bob").setTenant("globex"));
    assertDenied(aAdmin, RevokeTokenRequest.newBuilder().setJti(jti(bToken)).setTenant("globex"));
    assertDenied(aAdmin, RevokeTokenRequest.newBuilder().setJti(jti(bToken)).setTenant(""));
    // without a tenant the admin's own is meant: B's token and subject are untouched
    revoke(aAdmin, RevokeTokenRequest.newBuilder().setJti(jti(bToken)));
    revoke(aAdmin, RevokeTokenRequest.newBuilder().setSubject("bob"));
    assertAccepted(bToken);

    // an operator with the cross-tenant scope can
    revoke(token(OCRGATE, "ops", "operator", Duration.ofMinutes(5), "ocr:admin", "ocr:admin:all-tenants"),
        RevokeTokenRequest.newBuilder().setJti(jti(bToken)).setTenant("globex"));
    assertRevoked(bToken);
  }

  @Test
  void crossTenantScope_aloneGrantsNothing() {
    String onlyAllTenants = token(OCRGATE, "ops", "half-operator", Duration.ofMinutes(5), "ocr:admin:all-tenants");
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> revoke(onlyAllTenants, RevokeTokenRequest.newBuilder().setSubject("x").setTenant("acme")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).isEqualTo("missing scope: ocr:admin");
  }

  @Test
  void sameSubjectInTwoTenants_revokingOneLeavesTheOtherWorking() {
    String inAcme = token(OCRGATE, "acme", "shared-name", Duration.ofHours(1), "ocr:recognize");
    String inGlobex = token(OCRGATE, "globex", "shared-name", Duration.ofHours(1), "ocr:recognize");
    clock.advance(Duration.ofSeconds(1));

    revoke(admin("acme"), RevokeTokenRequest.newBuilder().setSubject("shared-name"));

    assertRevoked(inAcme);
    assertAccepted(inGlobex);
  }

  @Test
  void sameSubjectFromTwoIssuers_revokingOneIssuersLeavesTheOther() {
    String fromIdp = token(IDP, "acme", "twin", Duration.ofHours(1), "ocr:recognize");
    String fromOcrgate = token(OCRGATE, "acme", "twin", Duration.ofHours(1), "ocr:recognize");
    String stillIdp = token(IDP, "acme", "twin2", Duration.ofHours(1), "ocr:recognize");
    String stillOcrgate = token(OCRGATE, "acme", "twin2", Duration.ofHours(1), "ocr:recognize");
    clock.advance(Duration.ofSeconds(1));

    revoke(admin("acme"), RevokeTokenRequest.newBuilder().setSubject("twin").setIssuer(IDP));
    // without an issuer: every trusted issuer
    revoke(admin("acme"), RevokeTokenRequest.newBuilder().setSubject("twin2"));

    assertRevoked(fromIdp);
    assertAccepted(fromOcrgate);
    assertRevoked(stillIdp);
    assertRevoked(stillOcrgate);
  }

  @Test
  void untrustedIssuer_isInvalidArgument() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> revoke(admin("acme"), RevokeTokenRequest.newBuilder().setSubject("x").setIssuer("https://evil.example")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  String admin(String tenant) {
    return token(OCRGATE, tenant, "admin-" + tenant, Duration.ofMinutes(5), "ocr:admin");
  }

  String token(String issuer, String tenant, String subject, Duration ttl, String... scopes) {
    SigningKey key = issuer.equals(IDP) ? idpKey : ocrgateKey;
    return TokenMinter.of(key, issuer, "tenant_id", clock).mint(subject, List.of(scopes), ttl, "ocrgate", tenant);
  }

  void revoke(String adminToken, RevokeTokenRequest.Builder request) {
    AuthServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(adminToken))
        .withDeadlineAfter(30, TimeUnit.SECONDS).revokeToken(request.build());
  }

  private void assertDenied(String adminToken, RevokeTokenRequest.Builder request) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> revoke(adminToken, request));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  private Status probe(String token) {
    try {
      OcrServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(token))
          .withDeadlineAfter(30, TimeUnit.SECONDS).recognize(RecognizeRequest.getDefaultInstance());
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private void assertAccepted(String token) {
    assertThat(probe(token).getCode()).as("authenticated, then refused for the missing image")
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  private void assertRevoked(String token) {
    assertRefused(token, "token revoked");
  }

  private void assertRefused(String token, String reason) {
    Status s = probe(token);
    assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(s.getDescription()).isEqualTo(reason);
  }

  private static ClientInterceptor bearer(String token) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(md);
  }

  static String jti(String token) {
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    int i = payload.indexOf("\"jti\":\"") + 7;
    return payload.substring(i, payload.indexOf('"', i));
  }
}
