package dev.ocrgate.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (Selenium), trusting the test CA.
 *
 * <p>Trust: Chromium on Linux takes user-added roots from the NSS database in
 * {@code $HOME/.pki/nssdb}. This class makes a private HOME in a temporary folder, adds the CA
 * there with {@code certutil} (libnss3-tools) as trusted for TLS servers, and starts chromedriver
 * (and so Chromium) with that HOME: certificates are verified for real, host name included, and
 * nothing outside the temporary folder is touched. No {@code --ignore-certificate-errors}.
 *
 * <p>Selenium is given the driver's path ({@code webdriver.chrome.driver} and the service's
 * executable) and the browser's binary, so Selenium Manager never looks for or downloads either.
 * {@code --no-sandbox}: Chromium refuses to run as root with its sandbox, and tests run as root in
 * CI; the pages loaded are the project's own, from 127.0.0.1.
 *
 * <p>Missing chromium, chromedriver or certutil: the test fails under {@code CI=true}, is skipped
 * elsewhere ({@link ExternalTools#require}). One instance per test class; not thread-safe.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** The window the page is laid out in (and screenshots are taken of), CSS pixels. */
  public static final int WIDTH = 1280;
  public static final int HEIGHT = 860;

  private final Path dir;
  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private HeadlessChromium(Path dir, ChromeDriverService service, ChromeDriver driver) {
    this.dir = dir;
    this.service = service;
    this.driver = driver;
  }

  /** Starts a browser that trusts {@code caCert} (PEM). */
  public static HeadlessChromium start(Path caCert) {
    String chromium = ExternalTools.require("chromium", "chromium");
    String chromedriver = ExternalTools.require("chromedriver", "chromium-driver");
    String certutil = ExternalTools.require("certutil", "libnss3-tools");
    Path dir;
    try {
      dir = Files.createTempDirectory("ocrgate-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path home = dir.resolve("home");
    trustCa(certutil, home, caCert);
    System.setProperty("webdriver.chrome.driver", chromedriver);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver))
        .usingAnyFreePort()
        .withEnvironment(Map.of("HOME", home.toString()))
        .withLogOutput(OutputStream.nullOutputStream())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--user-data-dir=" + dir.resolve("profile"), "--window-size=" + WIDTH + "," + HEIGHT,
        "--force-device-scale-factor=1", "--hide-scrollbars", "--lang=en-US",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
        "--password-store=basic");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      return new HeadlessChromium(dir, service, driver);
    } catch (RuntimeException e) {
      service.stop();
      deleteQuietly(dir);
      throw e;
    }
  }

  /** The WebDriver of this browser. */
  public ChromeDriver driver() {
    return driver;
  }

  /** Quits the browser and the driver and deletes the temporary HOME and profile. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteQuietly(dir);
    }
  }

  private static void trustCa(String certutil, Path home, Path caCert) {
    Path db = home.resolve(".pki/nssdb");
    try {
      Files.createDirectories(db);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String sql = "sql:" + db;
    run(List.of(certutil, "-N", "-d", sql, "--empty-password"));
    run(List.of(certutil, "-A", "-d", sql, "-t", "C,,", "-n", "ocrgate-test-ca", "-i", caCert.toString()));
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
