package dev.ocrgate.server.gateway;

import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.config.RateLimitSection;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration the HTTP port's end-to-end tests start the production assembly with: real
 * TLS (the test certificates), the real CPU models, free ports, dev mode (its key in
 * {@code devDir} signs the tests' tokens), and rate limits on with one tenant whose bucket holds a
 * single call and refills once in about three hours.
 */
final class GatewayTestConfig {
  private GatewayTestConfig() {}

  static OcrgateConfig withHttpPort(Path devDir, int maxBodyBytes, String oneCallTenant) {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.metrics.port = 0;
    config.http.enabled = true;
    config.http.port = 0;
    config.http.max_body_bytes = maxBodyBytes;
    config.models = new ArrayList<>(List.of(RepoPaths.modelDir().toString()));
    config.engine.provider = "cpu";
    TestTls.certs().applyTo(config.tls);
    config.dev.enabled = true;
    config.dev.certs_dir = devDir.toString();
    config.rate_limit.enabled = true;
    RateLimitSection.Bucket oneCall = new RateLimitSection.Bucket();
    oneCall.rate_per_second = 0.0001;
    oneCall.burst = 1;
    config.rate_limit.tenants.put(oneCallTenant, oneCall);
    return config;
  }
}
