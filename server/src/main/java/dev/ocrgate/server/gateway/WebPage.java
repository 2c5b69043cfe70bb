package dev.ocrgate.server.gateway;

/**
 * The browser page's files, served with GET on the HTTP port. This list is the one place to add
 * them: put the file under {@code server/src/main/resources/web/} and add a
 * {@code .file("/path", "web/file")} line (content type from the extension; every file gets
 * {@link StaticResources#PAGE_CSP}, which allows no inline script or style).
 */
public final class WebPage {
  private WebPage() {}

  /** The files; read from the classpath once, when the server starts. */
  public static StaticResources resources() {
    return StaticResources.builder()
        .file("/", "web/index.html")
        .file("/ui/", "web/index.html")
        .file("/ui/app.js", "web/app.js")
        .file("/ui/app.css", "web/app.css")
        .file("/ui/favicon.svg", "web/favicon.svg")
        .build();
  }
}
