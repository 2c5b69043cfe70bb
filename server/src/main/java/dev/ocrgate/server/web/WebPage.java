package dev.ocrgate.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The browser page's files (HTML, JavaScript, CSS, icon under {@code resources/web/}), served by
 * the HTTP/JSON port at {@code /ui/} (and {@code /}).
 *
 * <p>Only a fixed allow-list is served: {@link #PATHS} maps each request path to one resource,
 * every resource is read into memory once by {@link #load}, and a request path is looked up by
 * exact string equality. No request path ever reaches the class path or the file system, so
 * {@code ..}, percent-escapes, doubled or back slashes and case variants find nothing (404).
 *
 * <p>Every answer carries {@link #SECURITY_HEADERS}: a Content-Security-Policy that allows
 * scripts, styles and connections to this origin only and no inline script or style (the page
 * has none), {@code nosniff}, no referrer, no framing.
 *
 * <p>Immutable; thread-safe.
 */
public final class WebPage {
  /** The policy of every page response: this origin only, no inline code, no framing, no forms. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  /** The headers of every page response, in this order. */
  public static final Map<String, String> SECURITY_HEADERS = orderedMap(
      "Content-Security-Policy", CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer",
      "X-Frame-Options", "DENY",
      "Cross-Origin-Opener-Policy", "same-origin",
      "Cross-Origin-Resource-Policy", "same-origin",
      "Cache-Control", "no-cache");

  /** Request path → resource name under {@code /web/} and its content type. */
  static final Map<String, File> PATHS = orderedMap(
      "/", new File("index.html", "text/html; charset=utf-8"),
      "/ui", new File("index.html", "text/html; charset=utf-8"),
      "/ui/", new File("index.html", "text/html; charset=utf-8"),
      "/ui/index.html", new File("index.html", "text/html; charset=utf-8"),
      "/ui/app.js", new File("app.js", "text/javascript; charset=utf-8"),
      "/ui/app.css", new File("app.css", "text/css; charset=utf-8"),
      "/ui/favicon.svg", new File("favicon.svg", "image/svg+xml"));

  /** One allow-listed file: its name under {@code /web/} and the Content-Type it is served with. */
  record File(String name, String contentType) {}

  /** One answer: a 200 with this content type, body and headers ({@link #SECURITY_HEADERS}). */
  public record Resource(String contentType, byte[] body, Map<String, String> headers) {
    /** A copy of the body (the resource itself stays unchanged). */
    @Override
    public byte[] body() {
      return body.clone();
    }

    /** The body's length in bytes. */
    public int length() {
      return body.length;
    }
  }

  private final Map<String, Resource> byPath;

  private WebPage(Map<String, Resource> byPath) {
    this.byPath = byPath;
  }

  /**
   * Reads every allow-listed file from the class path.
   *
   * @throws IllegalStateException when one is missing (a broken jar must not start serving half a page)
   */
  public static WebPage load() {
    Map<String, Resource> byPath = new LinkedHashMap<>();
    Map<String, byte[]> read = new LinkedHashMap<>();
    PATHS.forEach((path, file) -> {
      byte[] body = read.computeIfAbsent(file.name(), WebPage::readResource);
      byPath.put(path, new Resource(file.contentType(), body, SECURITY_HEADERS));
    });
    return new WebPage(Map.copyOf(byPath));
  }

  /** The resource for a request path (already stripped of its query), if it is on the allow-list. */
  public Optional<Resource> find(String path) {
    return Optional.ofNullable(path == null ? null : byPath.get(path));
  }

  /** The allow-listed request paths. */
  public Set<String> paths() {
    return byPath.keySet();
  }

  private static byte[] readResource(String name) {
    try (InputStream in = WebPage.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("web page resource /web/" + name + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read web page resource /web/" + name, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
