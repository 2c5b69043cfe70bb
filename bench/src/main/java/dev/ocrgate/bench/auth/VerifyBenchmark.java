package dev.ocrgate.bench.auth;

import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.JwtVerifier;
import dev.ocrgate.server.auth.KeySet;
import dev.ocrgate.server.auth.MethodPolicy;
import dev.ocrgate.server.auth.Principal;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.auth.TokenRejectedException;
import dev.ocrgate.server.auth.VerificationKey;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import io.grpc.Metadata;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Token verification per algorithm: plain jjwt (parser with a fixed key, the baseline), our
 * {@link JwtVerifier} (uncached: header rules, kid lookup, signature, claim rules), and the
 * interceptor's authentication path on a cache hit (SHA-256 of the token, cache lookup, revocation
 * check). One thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyBenchmark {
  @Param({"HS256", "RS256", "ES256", "EdDSA"})
  public String alg;

  private String token;
  private Metadata headers;
  private JwtParser plain;
  private JwtVerifier verifier;
  private JwtAuthInterceptor interceptor;
  private ScheduledExecutorService scheduler;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Clock clock = Clock.systemUTC();
    SigningKey key;
    Key verifyKey;
    if (alg.equals("HS256")) {
      SecretKey secret = new SecretKeySpec("bench-only-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
      key = SigningKey.hmac("hs", secret);
      verifyKey = secret;
    } else {
      key = SigningKeys.generate(alg);
      verifyKey = key.publicKey();
    }
    token = TokenMinter.of(key).mint("bench", List.of("ocr:recognize"), Duration.ofHours(2), "ocrgate", "t1");
    headers = new Metadata();
    headers.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
    plain = verifyKey instanceof SecretKey
        ? Jwts.parser().verifyWith((SecretKey) verifyKey).build()
        : Jwts.parser().verifyWith((PublicKey) verifyKey).build();
    KeySet keys = KeySet.of(List.of(VerificationKey.of(key.kid(), verifyKey, null)));
    verifier = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of(alg))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(), keys, clock);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    interceptor = JwtAuthInterceptor.builder(verifier, InMemoryRevocationStore.create(clock),
        MethodPolicy.of(List.of(), Map.of()), scheduler).clock(clock).cacheMaxEntries(10_000).build();
    interceptor.authenticate(headers); // fill the cache
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scheduler.shutdownNow();
  }

  @Benchmark
  public Claims plainJjwt() {
    return plain.parseSignedClaims(token).getPayload();
  }

  @Benchmark
  public Principal uncached() throws TokenRejectedException {
    return verifier.verify(token);
  }

  @Benchmark
  public Principal cached() throws TokenRejectedException, StoreUnavailableException {
    return interceptor.authenticate(headers);
  }
}
