package dev.ocrgate.server.auth;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which methods are public and which scopes the others need. Deny by default: a method that is
 * neither public nor listed has no policy ({@link #requiredScopes} returns null) and is refused.
 *
 * <p>Patterns are full method names ({@code pkg.Service/Method}) or a whole service
 * ({@code pkg.Service/*}). Immutable and thread-safe.
 */
public final class MethodPolicy {
  private final Set<String> publicMethods;
  private final Set<String> publicServices;
  private final Map<String, Set<String>> scopes;

  private MethodPolicy(Set<String> publicMethods, Set<String> publicServices, Map<String, Set<String>> scopes) {
    this.publicMethods = Set.copyOf(publicMethods);
    this.publicServices = Set.copyOf(publicServices);
    this.scopes = Map.copyOf(scopes);
  }

  /**
   * @param publicMethods patterns callable without a token
   * @param methodScopes full method name → scopes the token must all carry (empty = any token)
   * @throws IllegalArgumentException for a malformed pattern or a method that is both public and scoped
   */
  public static MethodPolicy of(Collection<String> publicMethods, Map<String, ? extends Collection<String>> methodScopes) {
    Set<String> methods = new HashSet<>();
    Set<String> services = new HashSet<>();
    for (String p : publicMethods) {
      int slash = checkPattern(p);
      if (p.endsWith("/*")) {
        services.add(p.substring(0, slash));
      } else {
        methods.add(p);
      }
    }
    Map<String, Set<String>> scopes = new HashMap<>();
    methodScopes.forEach((method, required) -> {
      checkPattern(method);
      if (method.endsWith("/*")) {
        throw new IllegalArgumentException("method_scopes needs full method names, not " + method);
      }
      scopes.put(method, Set.copyOf(required));
    });
    MethodPolicy policy = new MethodPolicy(methods, services, scopes);
    for (String m : scopes.keySet()) {
      if (policy.isPublic(m)) {
        throw new IllegalArgumentException(m + " is both public and scoped");
      }
    }
    return policy;
  }

  private static int checkPattern(String p) {
    int slash = p == null ? -1 : p.indexOf('/');
    if (slash <= 0 || slash == p.length() - 1 || p.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("method pattern must be 'pkg.Service/Method' or 'pkg.Service/*', not '" + p + "'");
    }
    return slash;
  }

  /** True when {@code fullMethodName} needs no token. */
  public boolean isPublic(String fullMethodName) {
    if (publicMethods.contains(fullMethodName)) {
      return true;
    }
    int slash = fullMethodName.indexOf('/');
    return slash > 0 && publicServices.contains(fullMethodName.substring(0, slash));
  }

  /** The scopes {@code fullMethodName} needs, or null when the method has no policy (refuse it). */
  public Set<String> requiredScopes(String fullMethodName) {
    return scopes.get(fullMethodName);
  }

  /** The first of {@code required} (in sorted order) that {@code granted} lacks, or null. */
  static String firstMissing(Set<String> required, Set<String> granted) {
    String missing = null;
    for (String s : required) {
      if (!granted.contains(s) && (missing == null || s.compareTo(missing) < 0)) {
        missing = s;
      }
    }
    return missing;
  }

  /** The methods with a scope policy, for startup logs. */
  public List<String> scopedMethods() {
    return scopes.keySet().stream().sorted().toList();
  }
}
