package dev.ocrgate.server.observability;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.LogSection;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log} section to Logback: sets the system properties that
 * {@code logback.xml} reads ({@code ocrgate.log.format}, {@code ocrgate.audit.target},
 * {@code ocrgate.audit.file}) and reloads that file. Does nothing when the operator points
 * Logback at a file of their own ({@code -Dlogback.configurationFile}) or Logback is not the
 * SLF4J backend.
 *
 * <p>Call once at startup, before the server starts, from the main thread.
 */
public final class LogSetup {
  /** The audit logger's name: authentication decisions, token issuance, revocation. */
  public static final String AUDIT_LOGGER = "ocrgate.audit";

  private LogSetup() {}

  /** Reconfigures logging for {@code log}. */
  public static void apply(LogSection log) {
    System.setProperty("ocrgate.log.format", log.format);
    boolean toFile = log.audit_file != null && !log.audit_file.isBlank();
    System.setProperty("ocrgate.audit.target", toFile ? "file" : "stderr_" + log.format);
    if (toFile) {
      System.setProperty("ocrgate.audit.file", log.audit_file);
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    URL xml = LogSetup.class.getResource("/logback.xml");
    if (System.getProperty("logback.configurationFile") != null
        || !(factory instanceof LoggerContext ctx) || xml == null) {
      return;
    }
    ctx.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    long since = System.currentTimeMillis();
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      throw new ConfigException("cannot configure logging: " + e.getMessage(), e);
    }
    for (Status s : ctx.getStatusManager().getCopyOfStatusList()) {
      if (s.getLevel() == Status.ERROR && s.getTimestamp() >= since) {
        throw new ConfigException("cannot configure logging: " + s.getMessage()
            + (s.getThrowable() == null ? "" : " (" + s.getThrowable().getMessage() + ")"));
      }
    }
  }
}
