package dev.ocrgate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.HeadlessChromium;
import dev.ocrgate.server.testing.RawHttps;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.testing.TextImages;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The browser page on the production server ({@link ServerAssembly}: real TLS with the test CA,
 * JWT auth with the dev key, real PP-OCRv4 models, a rate limit for one tenant), loaded in Debian's
 * headless Chromium ({@link HeadlessChromium}, which trusts the test CA; no certificate errors are
 * ignored). The page's boxes and lines must be the server's own answer for the same image, fetched
 * directly; its errors must be the server's.
 *
 * <p>One server and one browser for the class; each test loads the page afresh (so no token is left
 * from another test). The header and path checks need no browser and run without one.
 *
 * <p>The screenshot in docs/img/web-page.png is rewritten only with {@code -Docrgate.updateDocs=true}:
 * {@code mvn -pl server -am verify -Dtest=WebPageBrowserTest -Dsurefire.failIfNoSpecifiedTests=false -Docrgate.updateDocs=true}.
 */
class WebPageBrowserTest {
  private static final String THROTTLED = "throttled";
  private static final int MAX_BODY = 1024 * 1024;
  private static final Duration ANSWER = Duration.ofSeconds(120);
  private static OcrgateServer server;
  private static TokenMinter minter;
  private static HeadlessChromium browser;
  private static byte[] png;

  @TempDir
  static Path files;

  @BeforeAll
  static void start() throws Exception {
    Path devDir = Path.of("target/web-page-dev").toAbsolutePath();
    OcrgateConfig config = GatewayTestConfig.withHttpPort(devDir, MAX_BODY, THROTTLED);
    server = ServerAssembly.assemble(config).start();
    minter = TokenMinter.of(DevKeys.ensure(DevKeys.dir(devDir)));
    TextImages.Rendered r = TextImages.render(1000, 360, new Color(250, 248, 240), new Color(20, 24, 32), List.of(
        new TextImages.Line("ocrgate reads this page", TextImages.latin(44), 40, 30),
        new TextImages.Line("Invoice 2026-11-30  No. 4711", TextImages.latin(34), 40, 110),
        new TextImages.Line("Total: 42.50 EUR", TextImages.latin(34), 520, 180),
        new TextImages.Line("你好，世界", TextImages.chinese(40), 40, 260)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(r.image(), "png", out);
    png = out.toByteArray();
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.shutdownGracefully();
      }
    }
  }

  /** The class's browser, started by the first test that needs one. */
  private static ChromeDriver browser() {
    if (browser == null) {
      browser = HeadlessChromium.start(TestTls.certs().caCert());
    }
    return browser.driver();
  }

  private static String mint(String tenant) {
    return minter.mint("page-tester", List.of("ocr:recognize"), Duration.ofMinutes(10), "ocrgate", tenant);
  }

  private static String pageUrl() {
    return "https://localhost:" + server.httpPort() + "/";
  }

  @Test
  void page_readsAnImage_drawsTheServersBoxesScaledOverIt_andListsItsLines() throws Exception {
    String token = mint("acme");
    JsonNode direct = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + token, png).json();
    JsonNode expected = direct.path("lines");
    assertThat(expected.size()).as(direct.toString()).isGreaterThanOrEqualTo(4);

    ChromeDriver driver = open();
    useToken(driver, token);
    upload(driver, "invoice.png", png);
    awaitState(driver, "done");

    // Boxes: the server's points, in image pixels, one polygon per line, under an SVG whose
    // viewBox is the image's size.
    List<WebElement> polygons = driver.findElements(By.cssSelector("#overlay polygon"));
    assertThat(polygons).hasSize(expected.size());
    assertThat(driver.findElement(By.id("overlay")).getDomAttribute("viewBox"))
        .isEqualTo("0 0 " + direct.path("imageWidth").asInt() + " " + direct.path("imageHeight").asInt());
    for (int i = 0; i < expected.size(); i++) {
      double[] points = parsePoints(polygons.get(i).getDomAttribute("points"));
      JsonNode want = expected.get(i).path("box").path("points");
      assertThat(points).hasSize(2 * want.size());
      for (int p = 0; p < want.size(); p++) {
        assertThat(points[2 * p]).as("line %d point %d x", i, p).isCloseTo(want.get(p).path("x").asDouble(), within(1e-3));
        assertThat(points[2 * p + 1]).as("line %d point %d y", i, p).isCloseTo(want.get(p).path("y").asDouble(), within(1e-3));
      }
    }
    // Drawn where they belong: each box's rendered rectangle is its points scaled by the shown
    // image's size over its pixel size (the image is wider than its column, so scaled down).
    Map<String, Object> image = rect(driver, "#image");
    double scale = num(image.get("width")) / direct.path("imageWidth").asDouble();
    assertThat(scale).as("the image is shown scaled down").isLessThan(0.95);
    assertThat(num(image.get("height")) / direct.path("imageHeight").asDouble()).isCloseTo(scale, within(0.01));
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> box = rect(driver, "#overlay polygon[data-index='" + i + "']");
      JsonNode want = expected.get(i).path("box").path("points");
      assertThat(num(box.get("left")) - num(image.get("left"))).as("line %d left", i)
          .isCloseTo(min(want, "x") * scale, within(1.5));
      assertThat(num(box.get("top")) - num(image.get("top"))).as("line %d top", i)
          .isCloseTo(min(want, "y") * scale, within(1.5));
      assertThat(num(box.get("width"))).as("line %d width", i)
          .isCloseTo((max(want, "x") - min(want, "x")) * scale, within(1.5));
    }

    // The list: the server's text and confidence, in its order.
    List<WebElement> items = driver.findElements(By.cssSelector("#lines li"));
    assertThat(items).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(items.get(i).findElement(By.className("text")).getText()).isEqualTo(expected.get(i).path("text").asText());
      assertThat(Double.parseDouble(items.get(i).getDomAttribute("data-confidence")))
          .isCloseTo(expected.get(i).path("confidence").asDouble(), within(1e-6));
    }
    assertThat(items).extracting(li -> li.findElement(By.className("text")).getText())
        .contains("ocrgate reads this page", "你好，世界");
    // The server's timing, every field shown; total is measured, so it is a number of ms.
    assertThat(driver.findElements(By.cssSelector("#timing dd"))).extracting(e -> e.getDomAttribute("data-field"))
        .containsExactly("decodeUs", "queueUs", "detectionUs", "recognitionUs", "inferenceUs", "totalUs");
    assertThat(driver.findElement(By.cssSelector("#timing dd[data-field=totalUs]")).getText()).matches("\\d+\\.\\d ms");

    // Hovering a list item marks its box; clicking a box selects its list item.
    new Actions(driver).moveToElement(items.get(2)).perform();
    assertThat(classes(polygons.get(2))).contains("hover");
    assertThat(classes(polygons.get(1))).doesNotContain("hover");
    polygons.get(1).click();
    assertThat(classes(items.get(1))).contains("selected");
    assertThat(classes(polygons.get(1))).contains("selected");

    // The token is in no URL, cookie or storage, and the field no longer holds it.
    assertThat(driver.getCurrentUrl()).isEqualTo(pageUrl());
    assertThat(driver.executeScript("return [localStorage.length, sessionStorage.length, document.cookie]"))
        .isEqualTo(List.of(0L, 0L, ""));
    assertThat(driver.findElement(By.id("token")).getDomProperty("value")).isEmpty();
    assertThat(cspViolations(driver)).isEmpty();

    screenshotForDocs(driver);
  }

  @Test
  void page_badToken_showsTheServers401Message() throws Exception {
    String good = mint("acme");
    String forged = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA" + good.substring(good.lastIndexOf('.') + 5);
    RawHttps.Response direct = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + forged, png);
    assertThat(direct.status()).isEqualTo(401);
    String message = direct.json().path("message").asText();
    assertThat(message).isNotBlank();

    ChromeDriver driver = open();
    useToken(driver, forged);
    upload(driver, "invoice.png", png);
    awaitState(driver, "error");
    WebElement error = driver.findElement(By.id("error"));
    assertThat(error.isDisplayed()).isTrue();
    assertThat(error.getDomAttribute("data-http-status")).isEqualTo("401");
    assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("401 UNAUTHENTICATED");
    assertThat(driver.findElement(By.id("error-message")).getText()).startsWith(message);
    assertThat(driver.findElement(By.id("result")).isDisplayed()).isFalse();
    assertThat(cspViolations(driver)).isEmpty();
  }

  @Test
  void page_overTheRateLimit_showsThe429WithItsRetryAfter() throws Exception {
    String token = mint(THROTTLED);
    // The tenant's one call, spent on a request the pipeline refuses at once.
    RawHttps.Response spent = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + token,
        "not an image".getBytes(StandardCharsets.US_ASCII));
    assertThat(spent.status()).as(spent.text()).isEqualTo(400);

    ChromeDriver driver = open();
    useToken(driver, token);
    upload(driver, "invoice.png", png);
    awaitState(driver, "error");
    WebElement error = driver.findElement(By.id("error"));
    assertThat(error.getDomAttribute("data-http-status")).isEqualTo("429");
    String retryAfter = error.getDomAttribute("data-retry-after");
    assertThat(retryAfter).matches("\\d+");
    assertThat(Long.parseLong(retryAfter)).isGreaterThan(60); // one call per 10 000 s
    assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("429 RESOURCE_EXHAUSTED");
    assertThat(driver.findElement(By.id("error-message")).getText())
        .isEqualTo("rate limit exceeded — retry after " + retryAfter + " s.");
  }

  /**
   * The server refuses the body from its declared length while the browser is still sending it;
   * the browser reads the answer only after its upload, so the server must keep reading (and
   * dropping) until then rather than reset the connection. Three rounds: a reset loses the 413
   * only in some of them.
   */
  @Test
  void page_imageOverTheBodyLimit_showsThe413() throws Exception {
    byte[] big = new byte[4 * MAX_BODY];
    new Random(17).nextBytes(big);
    for (int round = 0; round < 3; round++) {
      ChromeDriver driver = open();
      useToken(driver, mint("acme"));
      upload(driver, "huge.png", big);
      awaitState(driver, "error");
      WebElement error = driver.findElement(By.id("error"));
      assertThat(error.getDomAttribute("data-http-status")).as("round %d", round).isEqualTo("413");
      assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("413 RESOURCE_EXHAUSTED");
      assertThat(driver.findElement(By.id("error-message")).getText())
          .isEqualTo("request body larger than " + MAX_BODY + " bytes");
    }
  }

  @Test
  void staticFiles_carryTheStrictHeaders_andTheServedPageHasNoInlineScript() throws Exception {
    Map<String, String> types = Map.of(
        "/", "text/html; charset=utf-8",
        "/ui/", "text/html; charset=utf-8",
        "/ui/app.js", "text/javascript; charset=utf-8",
        "/ui/app.css", "text/css; charset=utf-8",
        "/ui/favicon.svg", "image/svg+xml");
    for (Map.Entry<String, String> e : types.entrySet()) {
      RawHttps.Response r = RawHttps.send(server.httpPort(), "GET", e.getKey(), List.of(), null);
      assertThat(r.status()).as(e.getKey()).isEqualTo(200);
      assertThat(r.header("content-type")).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(r.header("content-security-policy")).as(e.getKey()).isEqualTo(
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self';"
              + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      assertThat(r.header("x-content-type-options")).as(e.getKey()).isEqualTo("nosniff");
      assertThat(r.header("referrer-policy")).as(e.getKey()).isEqualTo("no-referrer");
      assertThat(r.headers().get("content-security-policy")).as("one policy only").hasSize(1);
    }
    Document page = Jsoup.parse(RawHttps.send(server.httpPort(), "GET", "/", List.of(), null).text());
    assertThat(page.select("script")).isNotEmpty().allSatisfy(s -> {
      assertThat(s.attr("src")).startsWith("/ui/");
      assertThat(s.data()).isBlank();
    });
    assertThat(page.select("style, [style]")).isEmpty();
  }

  @Test
  void staticFiles_onlyTheAllowList_traversalAndLookalikesAreRefused() throws Exception {
    byte[] logback = ServerAssembly.class.getClassLoader().getResourceAsStream("logback.xml").readAllBytes();
    List<String> hostile = List.of(
        "/ui/../ui/app.js", "/ui/./app.js", "/ui//app.js", "//ui/app.js", "/ui/app.js/", "/ui/App.js", "/UI/app.js",
        "/ui/%2e%2e/ui/app.js", "/ui/..%2fapp.js", "/ui/app.js%00", "/ui\\app.js", "/ui/..\\app.js",
        "/web/app.js", "/web/index.html", "/app.js", "/index.html", "/ui", "/ui/index.html", "/ui/web/index.html",
        "/logback.xml", "/ui/../logback.xml", "/../logback.xml", "/ui/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
        "/dev/ocrgate/server/ratelimit/token_buckets.lua", "/ui/../dev/ocrgate/server/ratelimit/token_buckets.lua",
        "/dev/ocrgate/server/gateway/WebPage.class", "/META-INF/MANIFEST.MF", "/ui/.", "/ui/..");
    for (String path : hostile) {
      RawHttps.Response r = RawHttps.send(server.httpPort(), "GET", path, List.of(), null);
      assertThat(r.status()).as("GET %s", path).isIn(400, 404);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).as("GET %s", path)
          .doesNotContain("<configuration").doesNotContain("'use strict'");
      assertThat(r.body()).isNotEqualTo(logback);
    }
    RawHttps.Response post = RawHttps.send(server.httpPort(), "POST", "/ui/app.js", List.of(), new byte[0]);
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("allow")).isEqualTo("GET");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static ChromeDriver open() {
    ChromeDriver driver = browser();
    driver.get(pageUrl());
    await().atMost(Duration.ofSeconds(30)).until(() -> "idle".equals(state(driver))
        && driver.findElement(By.id("status")) != null);
    return driver;
  }

  private static void useToken(ChromeDriver driver, String token) {
    driver.findElement(By.id("token")).sendKeys(token);
    driver.findElement(By.id("use-token")).click();
    assertThat(driver.findElement(By.id("token-state")).getText()).startsWith("Token set");
  }

  private static void upload(ChromeDriver driver, String name, byte[] bytes) throws Exception {
    Path file = files.resolve(name);
    Files.write(file, bytes);
    driver.findElement(By.id("file")).sendKeys(file.toString());
  }

  private static void awaitState(ChromeDriver driver, String wanted) {
    await().atMost(ANSWER).pollInterval(Duration.ofMillis(100)).until(() -> {
      String s = state(driver);
      return s.equals(wanted) || (!s.equals("sending") && !s.equals("idle"));
    });
    assertThat(state(driver)).as("page state; error shown: %s",
        driver.findElement(By.id("error")).getText()).isEqualTo(wanted);
  }

  private static String classes(WebElement e) {
    String c = e.getDomAttribute("class");
    return c == null ? "" : c;
  }

  private static String state(ChromeDriver driver) {
    return String.valueOf(driver.executeScript("return document.body.dataset.state"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rect(ChromeDriver driver, String selector) {
    return (Map<String, Object>) driver.executeScript(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
            + " return {left: r.left, top: r.top, width: r.width, height: r.height};", selector);
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  private static double[] parsePoints(String attribute) {
    String[] parts = attribute.trim().split("[ ,]+");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i]);
    }
    return out;
  }

  private static double min(JsonNode points, String axis) {
    double m = Double.MAX_VALUE;
    for (JsonNode p : points) {
      m = Math.min(m, p.path(axis).asDouble());
    }
    return m;
  }

  private static double max(JsonNode points, String axis) {
    double m = -Double.MAX_VALUE;
    for (JsonNode p : points) {
      m = Math.max(m, p.path(axis).asDouble());
    }
    return m;
  }

  /** What the browser logged about refused content (an inline script or style, a foreign source). */
  private static List<String> cspViolations(ChromeDriver driver) {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue() && e.getMessage().contains("Content Security Policy")) {
        out.add(e.getMessage());
      }
    }
    return out;
  }

  /** docs/img/web-page.png, only on demand (-Docrgate.updateDocs=true): CI never rewrites docs. */
  private static void screenshotForDocs(ChromeDriver driver) throws Exception {
    if (!Boolean.getBoolean("ocrgate.updateDocs")) {
      return;
    }
    new Actions(driver).moveToElement(driver.findElement(By.cssSelector("#lines li[data-index='1']"))).perform();
    Path out = RepoPaths.root().resolve("docs/img/web-page.png");
    Files.createDirectories(out.getParent());
    Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
  }
}
