package dev.ocrgate.server.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;

/**
 * Reading what a logback {@link ListAppender} captured while other threads may still log into it
 * (server threads finishing a call after its client saw the answer). {@code ListAppender.list} is
 * a plain {@code ArrayList} appended under the appender's own lock ({@code AppenderBase.doAppend}
 * is synchronized), so iterating it directly can throw ConcurrentModificationException; a copy
 * taken under that lock cannot.
 */
public final class CapturedLogs {
  private CapturedLogs() {}

  /** The events {@code appender} holds now, copied under its lock. */
  public static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }
}
