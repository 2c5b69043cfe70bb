package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.CapturedLogs;
import dev.ocrgate.server.testing.RawHttps;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The attack table, one row per rule, against the real interceptor on a real TLS server on
 * loopback. Every row asserts the exact status code and description, and that the handler never ran
 * unless the row expects OK. The same rows are replayed over the same server's HTTP/JSON port
 * (issue 17: one policy), where each must give the HTTP status of its gRPC code with the same
 * message, and again never run the handler unless valid.
 */
class AuthAttackTableTest {
  @TempDir static Path dir;

  static final Clock CLOCK = Clock.systemUTC();
  static final Tokens T = new Tokens(CLOCK);
  static SigningKey rsa;
  static SigningKey es;
  static SigningKey ed;
  static SigningKey attacker;
  static SigningKey issuerBKey;
  static final String ISSUER_B = "https://b.example";
  static SigningKey hmac;
  static String secret;
  static RecordingOcrService service;
  static InMemoryRevocationStore revocations;
  static JwtAuth auth;
  static OcrgateServer server;
  static ManagedChannel channel;
  static HttpServer keyHost;
  static final AtomicInteger keyHostHits = new AtomicInteger();
  static final List<String> sentTokens = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    rsa = SigningKeys.generate("RS256");
    es = SigningKeys.generate("ES256");
    ed = SigningKeys.generate("EdDSA");
    attacker = SigningKeys.generate("RS256");
    issuerBKey = SigningKeys.generate("RS256");
    byte[] raw = new byte[36];
    new SecureRandom().nextBytes(raw);
    secret = Base64.getEncoder().encodeToString(raw);
    hmac = SigningKey.hmac("hs-1", new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, SigningKey.jwksJson(List.of(rsa.publicJwk(), es.publicJwk(), ed.publicJwk())));

    keyHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    keyHost.createContext("/", ex -> {
      keyHostHits.incrementAndGet();
      byte[] body = attacker.publicJwksJson().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    keyHost.start();

    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.http.enabled = true;
    config.http.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = jwks.toString();
    config.auth.hs256_kid = "hs-1";
    config.auth.algorithms = List.of("RS256", "ES256", "EdDSA", "HS256");
    // Two trusted issuers, each with its own keys: the JWKS file and the secret sign for ocrgate,
    // a PEM key for B.
    config.auth.issuers = List.of(Tokens.ISSUER, ISSUER_B);
    config.auth.jwks_file_issuer = Tokens.ISSUER;
    config.auth.hs256_issuer = Tokens.ISSUER;
    Path pemB = dir.resolve("issuer-b.pem");
    Files.writeString(pemB, SigningKeys.pem("PUBLIC KEY", issuerBKey.publicKey().getEncoded()));
    AuthConfig.PemKey b = new AuthConfig.PemKey(issuerBKey.kid(), pemB.toString());
    b.issuer = ISSUER_B;
    config.auth.pem_keys = List.of(b);
    service = new RecordingOcrService();
    revocations = InMemoryRevocationStore.create(CLOCK);
    auth = JwtAuth.fromConfig(config.auth, Map.of("OCRGATE_JWT_SECRET", secret)::get, null, revocations, CLOCK);
    server = OcrgateServer.builder(config).addService(service).addInterceptor(auth.interceptor()).build().start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
    auth.close();
    keyHost.stop(0);
  }

  record Row(String name, Supplier<Metadata> headers, Status.Code code, String description) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Metadata bearer(String token) {
    sentTokens.add(token);
    return auth("Bearer " + token);
  }

  static Metadata auth(String value) {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, value);
    return md;
  }

  static Row unauth(String name, Supplier<Metadata> headers, String description) {
    return new Row(name, headers, Status.Code.UNAUTHENTICATED, description);
  }

  static String attackerSigned(Map<String, Object> extraHeader, String kid) {
    return Jwts.builder().header().type("at+jwt").keyId(kid).add(extraHeader).and()
        .issuer(Tokens.ISSUER).subject("mallory").audience().add(Tokens.AUDIENCE).and()
        .issuedAt(new Date()).expiration(Date.from(Instant.now().plusSeconds(300)))
        .claim("scope", "ocr:recognize ocr:admin").signWith(attacker.signingKey()).compact();
  }

  static String rsaWith(Consumer<JwtBuilder> tweak) {
    return T.sign(rsa, tweak);
  }

  static Stream<Row> rows() {
    Instant now = Instant.now();
    String kidHeader = "{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"KID\"}";
    return Stream.of(
        unauth("alg none, empty signature part",
            () -> bearer(Tokens.b64(kidHeader.replace("KID", rsa.kid())) + "." + Tokens.b64(T.payloadJson("")) + "."),
            "malformed token"),
        unauth("alg none, with a signature part", () -> {
          String real = T.sign(rsa);
          String sig = real.substring(real.lastIndexOf('.') + 1);
          return bearer(Tokens.b64(kidHeader.replace("KID", rsa.kid())) + "." + Tokens.b64(T.payloadJson("")) + "." + sig);
        }, "unsupported token"),
        unauth("HS256 signed with the server's RSA public key (DER)",
            () -> bearer(Tokens.hmacSigned("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + rsa.kid() + "\"}",
                T.payloadJson(""), rsa.publicKey().getEncoded())),
            "invalid signature"),
        unauth("HS256 signed with the server's RSA public key (PEM text)",
            () -> bearer(Tokens.hmacSigned("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + rsa.kid() + "\"}",
                T.payloadJson(""), SigningKeys.pem("PUBLIC KEY", rsa.publicKey().getEncoded()).getBytes(StandardCharsets.US_ASCII))),
            "invalid signature"),
        unauth("unknown kid", () -> bearer(attackerSigned(Map.of(), "nope")), "unknown key"),
        unauth("kid with path traversal", () -> bearer(attackerSigned(Map.of(), "../../../../etc/passwd")), "unknown key"),
        unauth("kid with SQL-ish content", () -> bearer(attackerSigned(Map.of(), "x' OR '1'='1; --")), "unknown key"),
        unauth("kid missing", () -> bearer(rsaWith(b -> b.header().keyId(null))), "unknown key"),
        unauth("jku pointing at an attacker key host",
            () -> bearer(attackerSigned(Map.of("jku", keyHostUrl()), attacker.kid())), "unknown key"),
        unauth("x5u pointing at an attacker key host",
            () -> bearer(attackerSigned(Map.of("x5u", keyHostUrl()), attacker.kid())), "unknown key"),
        unauth("jku with the server's own kid",
            () -> bearer(attackerSigned(Map.of("jku", keyHostUrl()), rsa.kid())), "invalid signature"),
        unauth("embedded jwk header", () -> bearer(attackerSigned(
            Map.of("jwk", Jwks.builder().key(attacker.publicKey()).build()), attacker.kid())),
            "unknown key"),
        unauth("expired beyond skew", () -> bearer(rsaWith(b -> b
            .issuedAt(Date.from(now.minusSeconds(600))).expiration(Date.from(now.minusSeconds(120))))),
            "token expired"),
        unauth("nbf in the future", () -> bearer(rsaWith(b -> b.notBefore(Date.from(now.plusSeconds(300))))),
            "token not yet valid"),
        unauth("iat in the future beyond skew", () -> bearer(rsaWith(b -> b.issuedAt(Date.from(now.plusSeconds(300))))),
            "token issued in the future"),
        unauth("wrong iss", () -> bearer(rsaWith(b -> b.issuer("https://evil.example"))), "untrusted issuer"),
        unauth("missing iss", () -> bearer(rsaWith(b -> b.issuer(null))), "untrusted issuer"),
        unauth("wrong aud", () -> bearer(rsaWith(b -> b.claim("aud", "someone-else"))), "invalid audience"),
        unauth("missing exp", () -> bearer(rsaWith(b -> b.expiration(null))), "missing required claim"),
        unauth("missing sub", () -> bearer(rsaWith(b -> b.subject(null))), "missing required claim"),
        unauth("typ not a JWT", () -> bearer(rsaWith(b -> b.header().type("JOSE+JSON"))), "invalid token type"),
        unauth("unknown crit header", () -> bearer(rsaWith(b -> b.header().add("exp-x", 1).critical().add("exp-x"))),
            "unsupported critical header"),
        unauth("alg outside the allow-list (RS384)", () -> bearer(Jwts.builder().header().type("at+jwt").keyId(rsa.kid()).and()
            .issuer(Tokens.ISSUER).subject("a").audience().add(Tokens.AUDIENCE).and()
            .expiration(Date.from(now.plusSeconds(300))).signWith((PrivateKey) rsa.signingKey(), Jwts.SIG.RS384).compact()),
            "unsupported algorithm"),
        unauth("tampered payload", () -> {
          String[] p = T.sign(rsa).split("\\.");
          return bearer(p[0] + "." + Tokens.b64(T.payloadJson("")) + "." + p[2]);
        }, "invalid signature"),
        unauth("tampered signature", () -> {
          String t = T.sign(rsa);
          int i = t.lastIndexOf('.') + 5;
          return bearer(t.substring(0, i) + (t.charAt(i) == 'A' ? 'B' : 'A') + t.substring(i + 1));
        }, "invalid signature"),
        unauth("truncated", () -> {
          String t = T.sign(rsa);
          return bearer(t.substring(0, t.length() - 12));
        }, "invalid signature"),
        unauth("truncated to two parts", () -> {
          String t = T.sign(rsa);
          return bearer(t.substring(0, t.lastIndexOf('.')));
        }, "malformed token"),
        unauth("empty token", () -> auth("Bearer "), "missing bearer token"),
        unauth("no authorization header", Metadata::new, "missing bearer token"),
        unauth("JWE", () -> bearer(Jwts.builder().subject("a").issuer(Tokens.ISSUER)
            .encryptWith(Jwts.ENC.A256GCM.key().build(), Jwts.ENC.A256GCM).compact()), "unsupported token"),
        unauth("oversized (over 8 KiB)", () -> bearer(rsaWith(b -> b.claim("pad", "x".repeat(9000)))), "token too large"),
        unauth("two authorization values", () -> {
          Metadata md = bearer(T.sign(rsa));
          md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + T.sign(rsa));
          return md;
        }, "malformed token"),
        unauth("Basic scheme", () -> auth("Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8))),
            "missing bearer token"),
        unauth("non-base64url characters", () -> bearer("a b.c\u00e9d.e"), "malformed token"),
        unauth("revoked jti", () -> {
          String jti = "revoked-" + System.nanoTime();
          String t = rsaWith(b -> b.id(jti));
          revocations.revokeJti(RevocationStore.Scope.of("ocrgate", "acme"), jti, Instant.now().plusSeconds(600));
          return bearer(t);
        }, "token revoked"),
        unauth("subject cut off", () -> {
          String t = rsaWith(b -> b.subject("bob").issuedAt(Date.from(now.minusSeconds(30))));
          revocations.revokeSubjectBefore(RevocationStore.Scope.of("ocrgate", "acme"), "bob", Instant.now(), Duration.ofHours(1));
          return bearer(t);
        }, "token revoked"),
        new Row("insufficient scope", () -> bearer(rsaWith(b -> b.claim("scope", "ocr:stream"))),
            Status.Code.PERMISSION_DENIED, "missing scope: ocr:recognize"),
        new Row("no scope at all", () -> bearer(rsaWith(b -> b.claim("scope", null))),
            Status.Code.PERMISSION_DENIED, "missing scope: ocr:recognize"),
        new Row("valid RS256", () -> bearer(T.sign(rsa)), Status.Code.OK, null),
        new Row("valid RS256, lower-case scheme", () -> auth("bearer " + T.sign(rsa)), Status.Code.OK, null),
        new Row("valid ES256", () -> bearer(T.sign(es)), Status.Code.OK, null),
        new Row("valid EdDSA", () -> bearer(T.sign(ed)), Status.Code.OK, null),
        unauth("token signed by issuer B's key claiming issuer A", () -> bearer(T.sign(issuerBKey)), "untrusted issuer"),
        new Row("valid: issuer B's key claiming issuer B",
            () -> bearer(T.sign(issuerBKey, b -> b.issuer(ISSUER_B))), Status.Code.OK, null),
        new Row("valid HS256 with the configured secret", () -> bearer(T.sign(hmac)), Status.Code.OK, null),
        unauth("HS256 with the secret, claiming issuer B", () -> bearer(T.sign(hmac, b -> b.issuer(ISSUER_B))),
            "untrusted issuer"),
        unauth("typ JWT (an ID token as access token), strict by default",
            () -> bearer(rsaWith(b -> b.header().type("JWT"))), "invalid token type"),
        new Row("valid with a space-separated scp string", () -> bearer(rsaWith(b -> b.claim("scope", null)
            .claim("scp", "ocr:stream ocr:recognize"))), Status.Code.OK, null),
        new Row("valid with scp array", () -> bearer(rsaWith(b -> b.claim("scope", null).claim("scp", List.of("ocr:recognize")))),
            Status.Code.OK, null));
  }

  static String keyHostUrl() {
    return "http://127.0.0.1:" + keyHost.getAddress().getPort() + "/jwks.json";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void attackTable_row_hasExactStatusAndHandlerRunsOnlyWhenOk(Row row) {
    Status.Code code = call(row);
    assertThat(code).isEqualTo(row.code);
  }

  private Status.Code call(Row row) {
    int before = service.handlerRuns();
    int principalsBefore = service.principals.size();
    Metadata md = row.headers.get();
    var stub = OcrServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
    if (row.code == Status.Code.OK) {
      stub.recognize(RecognizeRequest.getDefaultInstance());
      assertThat(service.handlerRuns()).isEqualTo(before + 1);
      assertThat(service.principals).hasSize(principalsBefore + 1);
      Principal p = service.principals.get(principalsBefore);
      assertThat(p.subject()).isEqualTo("alice");
      assertThat(p.tenant()).isEqualTo("acme");
      assertThat(p.scopes()).contains("ocr:recognize");
      assertThat(p.tokenId()).isNotBlank();
      return Status.Code.OK;
    }
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.recognize(RecognizeRequest.getDefaultInstance()));
    assertThat(e).as("call should fail").isNotNull();
    assertThat(e.getStatus().getDescription()).isEqualTo(row.description);
    assertThat(service.handlerRuns()).as("handler must not run").isEqualTo(before);
    return e.getStatus().getCode();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void attackTable_overHttp_hasTheMatchingHttpStatusAndHandlerRunsOnlyWhenOk(Row row) throws Exception {
    int before = service.handlerRuns();
    RawHttps.Response r = callHttp(row);
    int expected = switch (row.code) {
      case OK -> 200;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      default -> throw new AssertionError("no HTTP status for " + row.code);
    };
    assertThat(r.status()).as(r.text()).isEqualTo(expected);
    if (row.code == Status.Code.OK) {
      assertThat(service.handlerRuns()).isEqualTo(before + 1);
      assertThat(service.principals.get(service.principals.size() - 1).subject()).isIn("alice");
      return;
    }
    assertThat(service.handlerRuns()).as("handler must not run").isEqualTo(before);
    assertThat(r.json().path("status").asText()).isEqualTo(row.code.name());
    assertThat(r.json().path("code").asInt()).isEqualTo(expected);
    assertThat(r.json().path("message").asText()).isEqualTo(row.description);
    String challenge = r.header("WWW-Authenticate");
    if (row.code == Status.Code.PERMISSION_DENIED) {
      assertThat(challenge).isEqualTo("Bearer realm=\"ocrgate\", error=\"insufficient_scope\", scope=\"ocr:recognize\"");
    } else if (sentBearerToken(row)) {
      assertThat(challenge).isEqualTo("Bearer realm=\"ocrgate\", error=\"invalid_token\"");
    } else {
      assertThat(challenge).as("RFC 6750 3.1: no error code without a token").isEqualTo("Bearer realm=\"ocrgate\"");
    }
  }

  private static boolean sentBearerToken(Row row) {
    Iterable<String> values = row.headers.get().getAll(JwtAuthInterceptor.AUTHORIZATION);
    if (values == null) {
      return false;
    }
    for (String v : values) {
      if (v.regionMatches(true, 0, "Bearer ", 0, 7) && !v.substring(7).isBlank()) {
        return true;
      }
    }
    return false;
  }

  /** The row's authorization values as HTTP headers (bytes as a raw client sends them) on POST /v1/recognize. */
  private static RawHttps.Response callHttp(Row row) throws Exception {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Content-Type", "image/png"});
    Iterable<String> values = row.headers.get().getAll(JwtAuthInterceptor.AUTHORIZATION);
    if (values != null) {
      for (String v : values) {
        headers.add(new String[] {"Authorization", v});
      }
    }
    return RawHttps.send(server.httpPort(), "POST", "/v1/recognize", headers, new byte[] {1, 2, 3});
  }

  /** The table's server lists HS256; here a server with the secret set but HS256 not listed. */
  @Test
  void hs256_secretSetButNotInAlgorithms_isUnauthenticated() throws Exception {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = dir.resolve("jwks.json").toString();
    config.auth.hs256_kid = "hs-1";
    RecordingOcrService other = new RecordingOcrService();
    try (JwtAuth noHmac = JwtAuth.fromConfig(config.auth, Map.of("OCRGATE_JWT_SECRET", secret)::get, null, revocations, CLOCK)) {
      OcrgateServer s = OcrgateServer.builder(config).addService(other).addInterceptor(noHmac.interceptor()).build().start();
      ManagedChannel ch = Grpc.newChannelBuilderForAddress("localhost", s.port(), TestTls.clientCredentials()).build();
      try {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> OcrServiceGrpc.newBlockingStub(ch)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(T.sign(hmac))))
            .withDeadlineAfter(10, TimeUnit.SECONDS).recognize(RecognizeRequest.getDefaultInstance()));
        assertThat(e).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.getStatus().getDescription()).isEqualTo("unsupported algorithm");
        assertThat(other.handlerRuns()).isZero();
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        s.shutdownGracefully();
      }
    }
  }

  /**
   * Issue 12 item 4 over TLS: a token verified and cached keeps working until its key is removed
   * from the JWKS file, then its next call is refused (the file is re-read every 50 ms here).
   */
  @Test
  void cachedToken_keyRemovedFromJwksFile_isUnauthenticated() throws Exception {
    SigningKey leaked = SigningKeys.generate("ES256");
    Path file = dir.resolve("rotating-jwks.json");
    Files.writeString(file, SigningKey.jwksJson(List.of(leaked.publicJwk(), rsa.publicJwk())));
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = file.toString();
    config.auth.jwks_file_check_interval_ms = 50;
    RecordingOcrService other = new RecordingOcrService();
    try (JwtAuth rotating = JwtAuth.fromConfig(config.auth, k -> null, null, revocations, CLOCK)) {
      OcrgateServer s = OcrgateServer.builder(config).addService(other).addInterceptor(rotating.interceptor()).build().start();
      ManagedChannel ch = Grpc.newChannelBuilderForAddress("localhost", s.port(), TestTls.clientCredentials()).build();
      try {
        String token = T.sign(leaked);
        assertThat(recognize(ch, token)).isEqualTo(Status.Code.OK);
        assertThat(recognize(ch, token)).as("cache hit").isEqualTo(Status.Code.OK);

        Files.writeString(file, rsa.publicJwksJson());
        Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> recognize(ch, token) == Status.Code.UNAUTHENTICATED);
        assertThat(recognize(ch, T.sign(rsa))).as("the kept key's tokens go on").isEqualTo(Status.Code.OK);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        s.shutdownGracefully();
      }
    }
  }

  private static Status.Code recognize(ManagedChannel ch, String token) {
    try {
      OcrServiceGrpc.newBlockingStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth("Bearer " + token)))
          .withDeadlineAfter(10, TimeUnit.SECONDS).recognize(RecognizeRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void scpString_grantsEachOfItsScopes() {
    String token = rsaWith(b -> b.claim("scope", null).claim("scp", "ocr:recognize ocr:stream"));
    int before = service.principals.size();
    OcrServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
        .withDeadlineAfter(10, TimeUnit.SECONDS).recognize(RecognizeRequest.getDefaultInstance());
    assertThat(service.principals.get(before).scopes()).containsExactlyInAnyOrder("ocr:recognize", "ocr:stream");
  }

  @Test
  void jkuAndX5u_areNeverFetched() {
    rows().filter(r -> r.name.contains("jku") || r.name.contains("x5u")).forEach(this::call);
    assertThat(keyHostHits.get()).isZero();
  }

  @Test
  void logs_neverContainTokenOrSecret() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger authLog = (Logger) LoggerFactory.getLogger("dev.ocrgate.server.auth");
    Level old = authLog.getLevel();
    authLog.setLevel(Level.DEBUG);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    // the audit logger may be routed apart (additivity=false): capture it directly too
    Logger auditLog = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    boolean auditSeparate = !auditLog.isAdditive();
    if (auditSeparate) {
      auditLog.addAppender(appender);
    }
    sentTokens.clear();
    try {
      rows().forEach(this::call);
      for (Row row : rows().toList()) {
        callHttp(row);
      }
    } finally {
      root.detachAppender(appender);
      auditLog.detachAppender(appender);
      authLog.setLevel(old);
    }
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : CapturedLogs.snapshot(appender)) {
      lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
    }
    assertThat(lines).as("audit and rejection lines were captured").hasSizeGreaterThan(rows().count() > 0 ? 40 : 0);
    List<String> secrets = new ArrayList<>();
    secrets.add(secret);
    for (String t : sentTokens) {
      for (String part : t.split("\\.")) {
        for (int i = 0; i + 16 <= part.length(); i += 8) {
          secrets.add(part.substring(i, i + 16));
        }
      }
    }
    for (String line : lines) {
      for (String s : secrets) {
        assertThat(line).as("a log line leaks token or secret material").doesNotContain(s);
      }
    }
  }
}
