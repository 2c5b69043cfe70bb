package dev.ocrgate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The page's files as shipped in the jar: only the allow-list is found, every answer has the
 * strict headers, and the HTML and script keep to what the policy and the token rule demand (no
 * inline code, every reference on the allow-list, no browser storage). The same headers over a
 * real connection are checked by {@code WebPageBrowserTest}.
 */
class WebPageTest {
  private static final WebPage PAGE = WebPage.load();

  @Test
  void find_allowListedPaths_haveTypeAndStrictHeaders() {
    assertThat(PAGE.paths()).containsExactlyInAnyOrder(
        "/", "/ui", "/ui/", "/ui/index.html", "/ui/app.js", "/ui/app.css", "/ui/favicon.svg");
    assertThat(PAGE.find("/ui/").orElseThrow().contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(PAGE.find("/ui/app.js").orElseThrow().contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(PAGE.find("/ui/app.css").orElseThrow().contentType()).isEqualTo("text/css; charset=utf-8");
    assertThat(PAGE.find("/ui/favicon.svg").orElseThrow().contentType()).isEqualTo("image/svg+xml");
    for (String path : PAGE.paths()) {
      WebPage.Resource r = PAGE.find(path).orElseThrow();
      assertThat(r.length()).as(path).isPositive();
      assertThat(r.headers())
          .containsEntry("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
              + "img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
              + "frame-ancestors 'none'")
          .containsEntry("X-Content-Type-Options", "nosniff")
          .containsEntry("Referrer-Policy", "no-referrer");
    }
  }

  @Test
  void find_traversalAndLookalikePaths_findNothing() {
    List<String> hostile = List.of(
        "/ui/../ui/app.js", "/ui/./app.js", "/ui//app.js", "//ui/app.js", "/ui/app.js/", "/ui/App.js",
        "/UI/app.js", "/ui/app.js%00", "/ui/app.js\u0000", "/ui/%2e%2e/ui/app.js", "/ui/..%2fapp.js",
        "/ui\\app.js", "/ui/..\\app.js", "/web/app.js", "/app.js", "/index.html", "/ui/web/index.html",
        "/logback.xml", "/ui/../logback.xml", "/ui/../../logback.xml", "/ui/../../../../etc/passwd",
        "/dev/ocrgate/server/ratelimit/token_buckets.lua", "/ui/../dev/ocrgate/server/ratelimit/token_buckets.lua",
        "/ui/index.html?x=1", "/ui/app.js#x", " /ui/app.js", "/ui/app.js ", "", "ui/app.js", "/ui/.", "/ui/..");
    for (String path : hostile) {
      assertThat(PAGE.find(path)).as("path %s", path).isEmpty();
    }
    assertThat(PAGE.find(null)).isEmpty();
  }

  @Test
  void resource_bodyIsACopy_theServedBytesCannotBeChanged() {
    WebPage.Resource r = PAGE.find("/ui/app.js").orElseThrow();
    byte[] first = r.body();
    first[0] ^= 1;
    assertThat(r.body()).isNotEqualTo(first);
  }

  @Test
  void html_hasNoInlineScriptStyleOrHandler_andReferencesOnlyAllowListedFiles() {
    String html = text("/ui/");
    Document doc = Jsoup.parse(html, "https://localhost/ui/");
    List<String> violations = new ArrayList<>();
    for (Element script : doc.select("script")) {
      if (!script.hasAttr("src") || !script.data().isBlank()) {
        violations.add("inline script: " + script.outerHtml());
      }
    }
    for (Element style : doc.select("style")) {
      violations.add("inline style element: " + style.outerHtml());
    }
    for (Element el : doc.getAllElements()) {
      for (Attribute a : el.attributes()) {
        String name = a.getKey().toLowerCase();
        if (name.startsWith("on") || name.equals("style")) {
          violations.add("inline " + name + " on <" + el.tagName() + ">");
        }
        if ((name.equals("href") || name.equals("src") || name.equals("action") || name.equals("formaction"))
            && !PAGE.paths().contains(a.getValue())) {
          violations.add(name + "=" + a.getValue() + " on <" + el.tagName() + "> is not an allow-listed path");
        }
        if (a.getValue().toLowerCase().contains("javascript:")) {
          violations.add("javascript: URL on <" + el.tagName() + ">");
        }
      }
    }
    assertThat(violations).isEmpty();
    assertThat(doc.select("script[src]")).extracting(e -> e.attr("src")).containsExactly("/ui/app.js");
    assertThat(doc.select("link[rel=stylesheet]")).extracting(e -> e.attr("href")).containsExactly("/ui/app.css");
    assertThat(doc.select("form")).as("nothing is ever submitted as a form").isEmpty();
  }

  @Test
  void script_keepsTheTokenOutOfStorageAndUrls_andWritesServerTextAsTextOnly() {
    String js = text("/ui/app.js");
    String code = js.replaceAll("(?m)^\\s*//.*$", ""); // comments may name what the code avoids
    for (String forbidden : List.of("localStorage", "sessionStorage", "document.cookie", "indexedDB",
        "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
        "setAttribute('style'", "history.pushState", "location.hash", "location.search", "?token", "&token")) {
      assertThat(code).as("app.js must not use %s", forbidden).doesNotContain(forbidden);
    }
    // Every request goes to this origin's API by an absolute path.
    Matcher fetches = Pattern.compile("fetch\\(([^,)]*)").matcher(code);
    List<String> targets = new ArrayList<>();
    while (fetches.find()) {
      targets.add(fetches.group(1).trim());
    }
    assertThat(targets).containsExactly("'/v1/recognize'");
    assertThat(code).contains("'Authorization': 'Bearer ' + token");
  }

  private static String text(String path) {
    return new String(PAGE.find(path).orElseThrow().body(), StandardCharsets.UTF_8);
  }
}
