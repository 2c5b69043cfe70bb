package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.server.config.AuthConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * 10,000 generated and mutated {@code authorization} values per run through the real interceptor
 * (driven directly, no transport, for speed): every one is refused with UNAUTHENTICATED and the
 * handler never runs.
 */
class AuthorizationHeaderPropertyTest {
  static final SigningKey RSA = SigningKeys.generate("RS256");
  static final Clock CLOCK = Clock.systemUTC();
  // HS256 keeps signature checks cheap so 10,000 tries stay fast; the RSA key is there for
  // forged headers that name it (alg confusion).
  static final SigningKey HMAC = SigningKey.hmac("hs", new SecretKeySpec(
      "0123456789abcdef0123456789abcdef-test-only".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
  static final String VALID = new Tokens(CLOCK).sign(HMAC, b -> b.expiration(
      Date.from(CLOCK.instant().plus(Duration.ofHours(1)))));
  static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
  static final AtomicInteger HANDLER_RUNS = new AtomicInteger();
  static final JwtAuthInterceptor INTERCEPTOR = interceptor();
  static final ServerCallHandler<RecognizeRequest, RecognizeResponse> HANDLER = (call, headers) -> {
    HANDLER_RUNS.incrementAndGet();
    return new ServerCall.Listener<>() {};
  };

  static JwtAuthInterceptor interceptor() {
    AuthConfig c = new AuthConfig();
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256", "ES256", "EdDSA", "HS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(),
        KeySet.of(List.of(VerificationKey.of(RSA.kid(), RSA.publicKey(), null),
            VerificationKey.of("hs", HMAC.signingKey(), "HS256"))), CLOCK);
    return JwtAuthInterceptor.builder(v, InMemoryRevocationStore.create(CLOCK),
        MethodPolicy.of(c.public_methods, c.method_scopes), SCHEDULER).clock(CLOCK).cacheMaxEntries(1000).build();
  }

  @AfterContainer
  static void stop() {
    SCHEDULER.shutdownNow();
  }

  @Property(tries = 10_000)
  void anyMutatedOrGeneratedHeader_isUnauthenticated(@ForAll("headers") String value) {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, value);
    CapturingCall call = new CapturingCall();
    int before = HANDLER_RUNS.get();
    INTERCEPTOR.interceptCall(call, md, HANDLER);
    assertThat(call.closedWith).as("closed").isNotNull();
    assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(HANDLER_RUNS.get()).isEqualTo(before);
  }

  @Property(tries = 20)
  void sanity_theUnmutatedTokenPasses(@ForAll("schemes") String scheme) {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, scheme + " " + VALID);
    CapturingCall call = new CapturingCall();
    int before = HANDLER_RUNS.get();
    INTERCEPTOR.interceptCall(call, md, HANDLER);
    assertThat(call.closedWith).isNull();
    assertThat(HANDLER_RUNS.get()).isEqualTo(before + 1);
  }

  @Provide
  Arbitrary<String> schemes() {
    return Arbitraries.of("Bearer", "bearer", "BEARER", "bEaReR");
  }

  @Provide
  Arbitrary<String> headers() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, mutatedTokens().map(t -> "Bearer " + t)),
        net.jqwik.api.Tuple.of(2, forgedHeaders().map(t -> "Bearer " + t)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200).map(s -> "Bearer " + s)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(300)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("Basic", "Token", "JWT", "Bearer:", "Bearer\t", "")
            .map(s -> s + " " + VALID)));
  }

  /** The valid token with one or more structural mutations that always change its meaning. */
  Arbitrary<String> mutatedTokens() {
    Arbitrary<Integer> pos = Arbitraries.integers().between(0, VALID.length() - 1);
    Arbitrary<Character> ch = Arbitraries.of(B64URL.chars().mapToObj(c -> (char) c).toList())
        .injectDuplicates(0.0).edgeCases(e -> e.add('.'));
    Arbitrary<String> flip = Combinators.combine(pos, ch).as(AuthorizationHeaderPropertyTest::flip).filter(t -> !t.equals(VALID));
    Arbitrary<String> delete = pos.map(i -> VALID.substring(0, i) + VALID.substring(i + 1));
    Arbitrary<String> insert = Combinators.combine(pos, ch).as((i, c) -> VALID.substring(0, i) + c + VALID.substring(i));
    Arbitrary<String> truncate = pos.map(i -> VALID.substring(0, i));
    Arbitrary<String> segments = Arbitraries.of(
        VALID + "." + VALID, reorder(1, 0, 2), reorder(0, 2, 1), reorder(0, 0, 2), reorder(2, 1, 0),
        VALID.replace(".", ".."), VALID + ".", "." + VALID, VALID.replace(".", ""));
    return Arbitraries.oneOf(flip, delete, insert, truncate, segments);
  }

  /** Tokens whose header is attacker-written, with the real payload and signature. */
  Arbitrary<String> forgedHeaders() {
    Arbitrary<String> alg = Arbitraries.of("none", "None", "NONE", "nOnE", "HS256", "HS512", "RS256", "ES256", "EdDSA", "", "PS256");
    Arbitrary<String> kid = Arbitraries.oneOf(Arbitraries.of(RSA.kid(), "hs"), Arbitraries.strings().ofMaxLength(40)
        .map(s -> s.replace("\\", "\\\\").replace("\"", "\\\"")));
    Arbitrary<String> extra = Arbitraries.of("", ",\"jku\":\"http://127.0.0.1:1/\"", ",\"crit\":[\"x\"],\"x\":1",
        ",\"b64\":false,\"crit\":[\"b64\"]", ",\"zip\":\"DEF\"", ",\"typ\":\"JWT\"", ",\"enc\":\"A128GCM\"");
    String[] parts = VALID.split("\\.");
    return Combinators.combine(alg, kid, extra).as((a, k, x) -> {
      boolean sameAsReal = "HS256".equals(a) && "hs".equals(k) && (x.isEmpty() || x.contains("typ"));
      String header = Tokens.b64("{\"alg\":\"" + a + "\",\"kid\":\"" + k + "\",\"typ\":\"at+jwt\"" + x + "}");
      return sameAsReal ? header + "." + parts[1] + ".AAAA" : header + "." + parts[1] + "." + parts[2];
    });
  }

  static String flip(int i, char c) {
    if (VALID.charAt(i) == '.' || i == VALID.length() - 1 || VALID.charAt(i + 1) == '.') {
      // the last char of a segment may carry only padding bits: mutate its neighbour instead
      i = Math.max(0, i - 2);
      if (VALID.charAt(i) == '.') {
        i++;
      }
    }
    char replacement = c == VALID.charAt(i) ? (c == 'A' ? 'B' : 'A') : c;
    return VALID.substring(0, i) + replacement + VALID.substring(i + 1);
  }

  static String reorder(int a, int b, int c) {
    String[] p = VALID.split("\\.");
    return p[a] + "." + p[b] + "." + p[c];
  }
}
