package dev.ocrgate.server.auth;

import dev.ocrgate.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The development signing key: {@code <certs_dir>/jwt/} holds an RS256 key made on first use by
 * {@code serve --dev} or {@code ocrgate keys generate}, reused afterwards. Never for production.
 */
public final class DevKeys {
  /** Sub-folder of the dev certs folder that holds the dev signing key. */
  public static final String SUBDIR = "jwt";

  private DevKeys() {}

  /** The dev key folder under {@code devCertsDir}. */
  public static Path dir(Path devCertsDir) {
    return devCertsDir.resolve(SUBDIR);
  }

  /**
   * The current key in {@code dir} (also after {@code ocrgate keys rotate}), generating an RS256 key
   * there first when none exists.
   */
  public static SigningKey ensure(Path dir) {
    try {
      if (!SigningKeys.hasKey(dir)) {
        SigningKeys.write(SigningKeys.generate("RS256"), dir);
      }
      return SigningKeys.loadCurrent(dir);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot create or read the dev signing key in " + dir + ": "
          + e.getClass().getSimpleName(), e);
    }
  }
}
