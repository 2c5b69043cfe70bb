package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Log output: format and where the audit log goes (see server/src/main/resources/logback.xml). */
public final class LogSection {
  /** {@code text} (default, human-readable) or {@code json} (one JSON object per line). */
  @JsonProperty public String format = "text";
  /**
   * Where the {@code ocrgate.audit} logger writes: empty (default) = standard error next to the
   * other logs but through its own appender; otherwise a file path, appended to as JSON lines whatever {@code format} says.
   */
  @JsonProperty public String audit_file = "";
}
