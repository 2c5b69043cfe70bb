package dev.ocrgate.server.gateway;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Files served with {@code GET} on the HTTP port, read once from the classpath when the set is
 * built (a missing file fails the build of the set, so the server does not start without it).
 * Only the paths added are served: there is no directory mapping, so no path can reach another
 * file. Every file gets a strict Content-Security-Policy ({@link #PAGE_CSP} unless the builder
 * was given another), {@code nosniff}, and {@code no-cache} (revalidation is cheap; the page
 * changes with the server).
 *
 * <p>Immutable; thread-safe. See {@link WebPage} for the set the server serves.
 */
public final class StaticResources {
  /**
   * The default policy: scripts, styles, images and fetches only from this origin (images also
   * from {@code blob:} and {@code data:}, for a chosen file shown before upload), no inline
   * script or style, no plugins, no framing, forms post nowhere.
   */
  public static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none';"
      + " frame-ancestors 'none'";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json; charset=utf-8",
      "txt", "text/plain; charset=utf-8");

  private final Map<String, Resource> byPath;

  private StaticResources(Map<String, Resource> byPath) {
    this.byPath = Map.copyOf(byPath);
  }

  /** No files: only the API is served. */
  public static StaticResources none() {
    return new StaticResources(Map.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The served paths. */
  Set<String> paths() {
    return byPath.keySet();
  }

  /** Answers {@code ex} with the file at its path (the router calls this only for {@link #paths()}). */
  void serve(Exchange ex) {
    Resource r = byPath.get(ex.path());
    HttpHeaders h = new DefaultHttpHeaders();
    h.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, r.csp);
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    ex.respond(HttpResponseStatus.OK, r.contentType, r.bytes, h);
  }

  private record Resource(byte[] bytes, String contentType, String csp) {}

  /** Collects files; each {@link #file} reads its resource at once. */
  public static final class Builder {
    private final Map<String, Resource> byPath = new LinkedHashMap<>();
    private String csp = PAGE_CSP;

    private Builder() {}

    /** The Content-Security-Policy of the files added after this call. Default {@link #PAGE_CSP}. */
    public Builder contentSecurityPolicy(String policy) {
      if (policy == null || policy.isBlank()) {
        throw new IllegalArgumentException("a Content-Security-Policy is required");
      }
      this.csp = policy;
      return this;
    }

    /**
     * Serves the classpath resource {@code resource} (e.g. {@code web/index.html}, from
     * {@code server/src/main/resources/web/}) at {@code path} (e.g. {@code /}). The content type
     * comes from the resource's extension.
     *
     * @throws IllegalArgumentException for a path not starting with '/', a path added twice, the
     *     API's path, an unknown extension, or a resource that is not on the classpath
     */
    public Builder file(String path, String resource) {
      if (path == null || !path.startsWith("/") || path.startsWith(RecognizeEndpoint.PATH)) {
        throw new IllegalArgumentException("bad static path: " + path);
      }
      if (byPath.containsKey(path)) {
        throw new IllegalArgumentException(path + " already added");
      }
      String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      String type = TYPES.get(ext);
      if (type == null) {
        throw new IllegalArgumentException("no content type for ." + ext + " (" + resource + ")");
      }
      byPath.put(path, new Resource(read(resource), type, csp));
      return this;
    }

    public StaticResources build() {
      return new StaticResources(byPath);
    }

    private static byte[] read(String resource) {
      try (InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalArgumentException("resource not on the classpath: " + resource);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read resource " + resource, e);
      }
    }
  }
}
