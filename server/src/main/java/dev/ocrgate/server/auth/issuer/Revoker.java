package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.server.auth.LogSafe;
import dev.ocrgate.server.auth.Principal;
import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.auth.RevocationStore.Scope;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RevokeToken's rules, shared by the issuer's {@link AuthServiceImpl} and the issuer-less
 * {@link RevocationService}.
 *
 * <ul>
 *   <li>The caller needs {@value #ADMIN_SCOPE} (checked here as well as by the method policy, so a
 *       deployment that loosened the policy does not open revocation to everyone).
 *   <li>Tenant: the request's, else the caller's own ({@code ""} = tokens without a tenant). Another
 *       tenant than the caller's needs {@value #ALL_TENANTS_SCOPE} too → PERMISSION_DENIED otherwise.
 *   <li>Issuer: the request's (one of {@code auth.issuers}, INVALID_ARGUMENT otherwise), else every
 *       trusted issuer: one revocation per {@link Scope}.
 *   <li>A jti is kept until now + the maximum token lifetime + 2 × skew: the verifier refuses
 *       tokens living longer, so every token that can be accepted now is refused as expired by
 *       then. (A token minted with an {@code iat} in the future, which no honest issuer does, is
 *       covered only for that long.)
 *   <li>A subject cut-off (tokens issued at or before now) is kept for the longer of the maximum
 *       token lifetime and the refresh-token lifetime, plus skew: every token issued before it
 *       has expired (exp + skew) by then.
 * </ul>
 *
 * <p>Immutable and thread-safe; the clock is injected.
 */
public final class Revoker {
  /** The scope RevokeToken needs: revoke within the caller's own tenant. */
  public static final String ADMIN_SCOPE = "ocr:admin";
  /** With {@value #ADMIN_SCOPE}: revoke in any tenant (operators). Alone it grants nothing. */
  public static final String ALL_TENANTS_SCOPE = "ocr:admin:all-tenants";
  private static final Logger log = LoggerFactory.getLogger(Revoker.class);
  private static final int MAX_ID_CHARS = 256;

  private final RevocationStore store;
  private final List<String> trustedIssuers;
  private final Duration jtiRetention;
  private final Duration subjectRetention;
  private final Clock clock;

  private Revoker(RevocationStore store, List<String> trustedIssuers, Duration jtiRetention,
      Duration subjectRetention, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.trustedIssuers = List.copyOf(trustedIssuers);
    this.jtiRetention = jtiRetention;
    this.subjectRetention = subjectRetention;
    this.clock = Objects.requireNonNull(clock, "clock");
    if (this.trustedIssuers.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted issuer");
    }
  }

  /**
   * @param trustedIssuers the verifier's {@code auth.issuers}
   * @param maxTokenLifetime the verifier's maximum token lifetime
   * @param clockSkew the verifier's clock skew
   * @param refreshTtl the issuer's refresh-token lifetime (a subject cut-off must outlive the
   *     refresh tokens issued before it), or {@link Duration#ZERO} without an issuer
   */
  public static Revoker create(RevocationStore store, List<String> trustedIssuers, Duration maxTokenLifetime,
      Duration clockSkew, Duration refreshTtl, Clock clock) {
    if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero() || clockSkew.isNegative() || refreshTtl.isNegative()) {
      throw new IllegalArgumentException("max token lifetime must be > 0, skew and refresh ttl >= 0");
    }
    // a token accepted now may carry an iat up to one skew ahead and is accepted one skew past its exp
    Duration jti = maxTokenLifetime.plus(clockSkew).plus(clockSkew);
    Duration subject = (refreshTtl.compareTo(maxTokenLifetime) > 0 ? refreshTtl : maxTokenLifetime).plus(clockSkew);
    return new Revoker(store, trustedIssuers, jti, subject, clock);
  }

  /** Stores the revocation {@code request} asks for, on behalf of {@code caller} (null = none). */
  public void revoke(Principal caller, RevokeTokenRequest request) throws StatusException, StoreUnavailableException {
    if (caller == null || !caller.hasScope(ADMIN_SCOPE)) {
      throw Status.PERMISSION_DENIED.withDescription("missing scope " + ADMIN_SCOPE).asException();
    }
    String tenant = tenant(caller, request);
    List<String> issuers = issuers(request);
    Instant now = clock.instant();
    switch (request.getTargetCase()) {
      case JTI -> {
        requireLength(request.getJti(), 1, "jti");
        for (String iss : issuers) {
          store.revokeJti(Scope.of(iss, tenant), request.getJti(), now.plus(jtiRetention));
        }
        log.info("revoked jti={} tenant={} issuers={} by sub={}", LogSafe.of(request.getJti()),
            LogSafe.of(tenant), issuers, LogSafe.of(caller.subject()));
      }
      case SUBJECT -> {
        requireLength(request.getSubject(), 1, "subject");
        for (String iss : issuers) {
          store.revokeSubjectBefore(Scope.of(iss, tenant), request.getSubject(), now, subjectRetention);
        }
        log.info("revoked every token of sub={} tenant={} issuers={} issued before now, by sub={}",
            LogSafe.of(request.getSubject()), LogSafe.of(tenant), issuers, LogSafe.of(caller.subject()));
      }
      default -> throw Status.INVALID_ARGUMENT.withDescription("jti or subject required").asException();
    }
  }

  /** The request's tenant, else the caller's; another than the caller's needs the all-tenants scope. */
  private static String tenant(Principal caller, RevokeTokenRequest request) throws StatusException {
    String own = caller.tenant() == null ? "" : caller.tenant();
    String tenant = request.hasTenant() ? request.getTenant() : own;
    if (!tenant.equals(own) && !caller.hasScope(ALL_TENANTS_SCOPE)) {
      throw Status.PERMISSION_DENIED.withDescription(
          "may revoke only in the caller's own tenant (other tenants need scope " + ALL_TENANTS_SCOPE + ")").asException();
    }
    requireLength(tenant, 0, "tenant");
    return tenant;
  }

  private List<String> issuers(RevokeTokenRequest request) throws StatusException {
    if (!request.hasIssuer()) {
      return trustedIssuers;
    }
    if (!trustedIssuers.contains(request.getIssuer())) {
      throw Status.INVALID_ARGUMENT.withDescription("issuer is not one of this server's auth.issuers").asException();
    }
    return List.of(request.getIssuer());
  }

  private static void requireLength(String value, int min, String what) throws StatusException {
    if (value.length() < min || value.length() > MAX_ID_CHARS) {
      throw Status.INVALID_ARGUMENT.withDescription(what + " must be " + min + ".." + MAX_ID_CHARS + " characters")
          .asException();
    }
  }
}
