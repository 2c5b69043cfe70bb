package dev.ocrgate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * The page's files as shipped in the jar ({@link WebPage}): the allow-list is exactly the page's
 * files, and the HTML and script keep to what the Content-Security-Policy and the token rule
 * demand: no inline script, style or handler, every reference on the allow-list, no browser
 * storage, server text never written as HTML. The headers and paths over a real connection, and
 * the page in a real browser, are {@link WebPageBrowserTest}'s.
 */
class WebPageFilesTest {
  @Test
  void resources_serveExactlyThePageFiles() {
    assertThat(WebPage.resources().paths())
        .containsExactlyInAnyOrder("/", "/ui/", "/ui/app.js", "/ui/app.css", "/ui/favicon.svg");
  }

  @Test
  void html_hasNoInlineScriptStyleOrHandler_andReferencesOnlyAllowListedFiles() {
    Document doc = Jsoup.parse(resource("web/index.html"), "https://localhost/");
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
            && !WebPage.resources().paths().contains(a.getValue())) {
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
    String code = resource("web/app.js").replaceAll("(?m)^\\s*//.*$", ""); // comments may name what the code avoids
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

  private static String resource(String name) {
    try (InputStream in = WebPageFilesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
