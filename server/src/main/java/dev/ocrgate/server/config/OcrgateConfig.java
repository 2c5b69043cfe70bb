package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole server configuration, bound from one YAML file (snake_case keys) and then overridden
 * by flags. Unknown keys are errors (see {@link ConfigLoader}).
 *
 * <p>Each section is a class of its own so that each package owns its settings. The classes are
 * plain mutable holders because Jackson binds them; once {@link ConfigLoader#load} has validated
 * a config it is treated as read-only by every consumer.
 */
public final class OcrgateConfig {
  /** Listening socket, TLS, drain. */
  @JsonProperty public ServerSection server = new ServerSection();
  /** Server TLS material. */
  @JsonProperty public TlsSection tls = new TlsSection();
  /** Model repository folders to load (each holds a model.yaml). */
  @JsonProperty public List<String> models = new ArrayList<>(List.of("models/ppocr-v4"));
  /** Dev mode: generated TLS material and signing key under {@code state_dir}. */
  @JsonProperty public DevSection dev = new DevSection();
  /** ONNX Runtime: execution provider and threads. */
  @JsonProperty public EngineSection engine = new EngineSection();
  /** OCR requests: image limits, executor. */
  @JsonProperty public OcrSection ocr = new OcrSection();
  /** Call authentication (Bearer JWT) and per-method scopes. */
  @JsonProperty public AuthConfig auth = new AuthConfig();
  /** StreamFrames: flow-control window, change detection and cue defaults. */
  @JsonProperty public StreamingSection streaming = new StreamingSection();
  /** Plain-HTTP metrics and probe endpoint. */
  @JsonProperty public MetricsSection metrics = new MetricsSection();
  /** Log format and audit log destination. */
  @JsonProperty public LogSection log = new LogSection();
  /** Redis for state shared by replicas (revocations, rate limits, refresh tokens); unset = in-memory. */
  @JsonProperty public RedisSection redis = new RedisSection();
  /** Token-bucket rate limits per subject and tenant. */
  @JsonProperty public RateLimitSection rate_limit = new RateLimitSection();
  /** The built-in token issuer (AuthService). */
  @JsonProperty public IssuerSection issuer = new IssuerSection();

  /** Listening socket and lifecycle. */
  public static final class ServerSection {
    /** Address to bind. Default {@code 127.0.0.1}. */
    @JsonProperty public String host = "127.0.0.1";
    /** TCP port; 0 picks a free one. Default 8443. */
    @JsonProperty public int port = 8443;
    /**
     * Serve without TLS. Default false. Bearer tokens sent over plaintext can be read and replayed
     * by anyone on the path, so this is only for a TLS-terminating sidecar on the same host.
     */
    @JsonProperty public boolean plaintext = false;
    /** How long a shutdown waits for in-flight calls before cancelling them, seconds. Default 30. */
    @JsonProperty public int drain_timeout_seconds = 30;
    /** Largest accepted request message, bytes. Default 32 MiB (an image up to 20 MB plus framing). */
    @JsonProperty public int max_inbound_message_bytes = 32 * 1024 * 1024;
  }

  /** Server TLS: PEM files. Required unless {@code server.plaintext} is set. */
  public static final class TlsSection {
    /** PEM certificate chain of the server. */
    @JsonProperty public String cert_chain;
    /** PEM PKCS#8 private key of the server. */
    @JsonProperty public String private_key;
    /** PEM CA bundle that client certificates must chain to (enables mTLS). */
    @JsonProperty public String client_ca;
    /** {@code none} (default), {@code optional} or {@code require} client certificates. */
    @JsonProperty public String client_auth = "none";
  }

  /** Development conveniences; never enable in production. */
  public static final class DevSection {
    /** Create dev TLS material (and, later, a dev signing key) when absent. Default false. */
    @JsonProperty public boolean enabled = false;
    /** Where generated dev material lives. Default {@code certs/dev}. */
    @JsonProperty public String certs_dir = "certs/dev";
  }
}
