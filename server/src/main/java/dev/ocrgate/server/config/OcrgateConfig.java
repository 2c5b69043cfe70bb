package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The whole server configuration: defaults, the YAML file (snake_case keys), the environment and
 * the serve command's flags, merged, bound and validated by {@link ConfigLoader}. Unknown keys are
 * errors.
 *
 * <p>Each section is a class of its own so that each package owns its settings. The classes are
 * plain holders with public fields because Jackson binds them and the reference documentation is
 * generated from them ({@link ConfigSchema}). They are written only while a configuration is
 * made: by Jackson, or by code building a draft (tests, benches). The server reads only
 * {@link ConfigLoader#validated}'s private copy (lists and maps unmodifiable), and no production
 * class outside this package writes a field (ConfigArchitectureTest).
 *
 * <p>The pattern for a section ({@code http:}, say):
 * <ol>
 *   <li>a final class {@code HttpSection} in this package, each key a public {@code @JsonProperty}
 *       field initialised to its default, with a Javadoc that says what it does and its default
 *       (it becomes the key's row in docs/configuration.md);
 *   <li>a field {@code @JsonProperty public HttpSection http = new HttpSection();} here;
 *   <li>{@code void validate()} on the section, throwing {@link ConfigException} that names the
 *       key ({@code "http.port must be in 0..65535, was -2"}), and one call to it in
 *       {@link ConfigLoader#validate} (plus the section in its not-null list); rules that tie it
 *       to another section go in {@link ConfigLoader#validate} itself; files it names go in
 *       {@link ConfigLoader#checkFiles};
 *   <li>the component takes the section, or values from it, as arguments and does not validate
 *       it again; a value derived from the configuration is passed explicitly, never written into
 *       it.
 * </ol>
 */
public final class OcrgateConfig {
  /** Listening socket, TLS, drain. */
  @JsonProperty public ServerSection server = new ServerSection();
  /** Server TLS material. */
  @JsonProperty public TlsSection tls = new TlsSection();
  /**
   * The model set to serve: exactly one folder holding a model.yaml (PP-OCRv4 on ONNX Runtime, or
   * {@code engine: openai_chat} for a remote chat-completions endpoint such as vLLM serving
   * HunyuanOCR, see docs/upstream.md).
   */
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
  /** The HTTP/JSON port (POST /v1/recognize, the browser page), beside the gRPC port. */
  @JsonProperty public HttpSection http = new HttpSection();
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
     * by anyone on the path, so this is only for a TLS-terminating sidecar on the same host: on
     * an address that is not loopback the server refuses to start unless
     * {@code allow_insecure_non_loopback} is set.
     */
    @JsonProperty public boolean plaintext = false;
    /**
     * Serve with {@code plaintext} or with {@code auth.enabled: false} on an address that is not
     * loopback. Default false: the server refuses to start so, because anyone who can reach the
     * port could then read and replay tokens, or call every method without one. Set it only
     * when a network policy or a proxy on the same host already guards the port.
     */
    @JsonProperty public boolean allow_insecure_non_loopback = false;
    /** How long a shutdown waits for in-flight calls before cancelling them, seconds. Default 30. */
    @JsonProperty public int drain_timeout_seconds = 30;
    /**
     * Largest request message of an OCR method (OcrService: Recognize, each StreamFrames
     * message), bytes. Default 32 MiB (an image up to 20 MB plus framing). Only callers with a
     * valid token get this far: the server asks for the message after authentication.
     */
    @JsonProperty public int max_inbound_message_bytes = 32 * 1024 * 1024;
    /**
     * Largest request message of every other method (health, reflection, AuthService), bytes.
     * Default 16 KiB. These methods are public or small; a larger message is refused with
     * RESOURCE_EXHAUSTED as its bytes arrive, before it is buffered.
     */
    @JsonProperty public int max_control_message_bytes = 16 * 1024;
    /**
     * Largest request metadata (all headers of a call), bytes. Default 32 KiB: room for an 8 KiB
     * token (auth.max_token_bytes is the real cap and answers UNAUTHENTICATED) and other headers.
     */
    @JsonProperty public int max_metadata_bytes = 32 * 1024;
    /**
     * Concurrent calls (HTTP/2 streams) one connection may have open; more wait at the client.
     * Default 100. With the flow-control window this bounds what one connection can make the
     * server hold before any call is authenticated.
     */
    @JsonProperty public int max_concurrent_calls_per_connection = 100;
    /**
     * HTTP/2 flow-control window per call, bytes: what a peer may send on a call before the
     * server has read it. Default 1 MiB (grpc-java's default).
     */
    @JsonProperty public int flow_control_window_bytes = 1024 * 1024;
    /** A peer must finish the TLS handshake within this time, seconds. Default 10. */
    @JsonProperty public int handshake_timeout_seconds = 10;
    /**
     * A connection without calls for this long is closed (GOAWAY; clients reconnect on their
     * next call), seconds. Default 300; 0 = never.
     */
    @JsonProperty public int max_connection_idle_seconds = 300;
    /**
     * A connection older than this is told to go away (GOAWAY, ±10 % jitter): its calls may
     * finish, new ones use a new connection, which also spreads clients over new replicas,
     * seconds. Default 3600; 0 = never.
     */
    @JsonProperty public int max_connection_age_seconds = 3600;
    /**
     * After max_connection_age_seconds, calls still open are cut after this long (the SDK resumes
     * frame streams), seconds. Default 600; 0 = wait for them forever.
     */
    @JsonProperty public int max_connection_age_grace_seconds = 600;
    /**
     * The server pings a connection after this long without traffic and closes it when the ping
     * is not answered within {@code keepalive_timeout_seconds}, so vanished peers free their
     * resources, seconds. Default 60.
     */
    @JsonProperty public int keepalive_time_seconds = 60;
    /** How long a keepalive ping may go unanswered, seconds. Default 20. */
    @JsonProperty public int keepalive_timeout_seconds = 20;
    /**
     * Rapid-reset defence (CVE-2023-44487): a connection that resets more calls than this
     * within {@code rst_frames_window_seconds} is closed. Default 200; 0 = no limit.
     */
    @JsonProperty public int max_rst_frames_per_window = 200;
    /** The window of {@code max_rst_frames_per_window}, seconds. Default 10. */
    @JsonProperty public int rst_frames_window_seconds = 10;

    /** Checks every limit once, at start; a bad value is a {@link ConfigException} naming the key. */
    public void validate() {
      positive("server.max_inbound_message_bytes", max_inbound_message_bytes);
      positive("server.max_control_message_bytes", max_control_message_bytes);
      positive("server.max_metadata_bytes", max_metadata_bytes);
      positive("server.max_concurrent_calls_per_connection", max_concurrent_calls_per_connection);
      positive("server.handshake_timeout_seconds", handshake_timeout_seconds);
      positive("server.keepalive_time_seconds", keepalive_time_seconds);
      positive("server.keepalive_timeout_seconds", keepalive_timeout_seconds);
      positive("server.rst_frames_window_seconds", rst_frames_window_seconds);
      notNegative("server.drain_timeout_seconds", drain_timeout_seconds);
      notNegative("server.max_connection_idle_seconds", max_connection_idle_seconds);
      notNegative("server.max_connection_age_seconds", max_connection_age_seconds);
      notNegative("server.max_connection_age_grace_seconds", max_connection_age_grace_seconds);
      notNegative("server.max_rst_frames_per_window", max_rst_frames_per_window);
      positive("server.flow_control_window_bytes", flow_control_window_bytes);
      if (port < 0 || port > 65535) {
        throw new ConfigException("server.port must be in 0..65535, was " + port);
      }
    }

    private static void positive(String key, int value) {
      if (value <= 0) {
        throw new ConfigException(key + " must be > 0, was " + value);
      }
    }

    private static void notNegative(String key, int value) {
      if (value < 0) {
        throw new ConfigException(key + " must be >= 0, was " + value);
      }
    }
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

    /** {@code client_auth} in lower case; {@link #validate} has checked it is one of the three. */
    public String clientAuthMode() {
      return client_auth == null ? "none" : client_auth.toLowerCase(Locale.ROOT);
    }

    /** The values; whether TLS needs the files at all is the server's call. */
    public void validate() {
      if (!Set.of("none", "optional", "require").contains(clientAuthMode())) {
        throw new ConfigException("tls.client_auth must be none, optional or require, not '" + client_auth + "'");
      }
    }

    /**
     * For a configuration built in code, before it is validated: these PEM files, and
     * {@code clientCa} unless a client CA is already set.
     */
    public void useFiles(String certChain, String privateKey, String clientCa) {
      cert_chain = certChain;
      private_key = privateKey;
      if (client_ca == null) {
        client_ca = clientCa;
      }
    }

    /** Every file named here is readable (on this machine: the server's, or the checker's). */
    public void validateFiles() {
      ConfigFiles.readableIfSet("tls.cert_chain", cert_chain);
      ConfigFiles.readableIfSet("tls.private_key", private_key);
      ConfigFiles.readableIfSet("tls.client_ca", client_ca);
    }
  }

  /** Development conveniences; never enable in production. */
  public static final class DevSection {
    /** Create dev TLS material (and, later, a dev signing key) when absent. Default false. */
    @JsonProperty public boolean enabled = false;
    /** Where generated dev material lives. Default {@code certs/dev}. */
    @JsonProperty public String certs_dir = "certs/dev";
  }
}
