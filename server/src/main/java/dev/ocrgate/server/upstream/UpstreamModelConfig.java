package dev.ocrgate.server.upstream;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The {@code model.yaml} of a model set served by a remote OpenAI-compatible chat-completions
 * endpoint ({@code engine: openai_chat}, e.g. vLLM serving tencent/HunyuanOCR). Bound by Jackson
 * (snake_case, unknown keys are errors), checked once by {@link #validate}, read-only after.
 * Every duration names its unit; defaults are the safe choice.
 */
public final class UpstreamModelConfig {
  /** The engine kind that selects this class. */
  public static final String ENGINE = "openai_chat";

  /** Model set name reported to clients ({@code RecognizeResponse.model}), e.g. {@code hunyuan-ocr}. */
  @JsonProperty public String name;
  /** Must be {@value #ENGINE}. */
  @JsonProperty public String engine;
  /** Where and how to call the endpoint. */
  @JsonProperty public Upstream upstream = new Upstream();

  /** The endpoint and the limits ocrgate applies to it. */
  public static final class Upstream {
    /**
     * Scheme, host and port (and an optional path prefix) of the server; requests go to
     * {@code {base_url}/v1/chat/completions}, the health probe to {@code {base_url}/health}.
     * Required. {@code https} uses {@code ca_file} or the JDK's trust store.
     */
    @JsonProperty public String base_url;
    /** The served model name ({@code vllm serve ... --served-model-name}). Default {@code tencent/HunyuanOCR}. */
    @JsonProperty public String served_model = "tencent/HunyuanOCR";
    /**
     * The fixed task (prompt and answer format): {@code spotting_json} (default: lines with boxes
     * normalised to [0, 1000]), {@code spotting_hunyuan} (Hunyuan's coordinate format),
     * {@code text} (plain text, no boxes) or {@code doc_parse} (Markdown, one line per line).
     * Callers cannot send prompts.
     */
    @JsonProperty public String task = "spotting_json";
    /** Environment variable holding the upstream API key (sent as {@code Authorization: Bearer}). */
    @JsonProperty public String api_key_env;
    /** File holding the upstream API key (e.g. a mounted Secret); one of this and api_key_env at most. */
    @JsonProperty public String api_key_file;
    /** PEM bundle of the CAs trusted for an {@code https} base_url; unset = the JDK's trust store. */
    @JsonProperty public String ca_file;
    /** TCP/TLS connect timeout, milliseconds. Default 5000. */
    @JsonProperty public int connect_timeout_ms = 5000;
    /**
     * Longest one upstream request may take, milliseconds; a call's own deadline shortens it.
     * Default 120000 (a dense page can take tens of seconds to generate).
     */
    @JsonProperty public int request_timeout_ms = 120_000;
    /**
     * Requests sent upstream at once by this replica. vLLM batches continuously, so this is
     * admission, not batching. Default 16.
     */
    @JsonProperty public int max_in_flight = 16;
    /** Requests waiting for an in-flight slot; more are refused with RESOURCE_EXHAUSTED. Default 256. */
    @JsonProperty public int max_queued = 256;
    /** {@code max_tokens} of each request. Default 16384 (the model's published setting). */
    @JsonProperty public int max_tokens = 16384;
    /** vLLM's {@code top_k} sampling field. Default 1 (greedy, as Hunyuan's vLLM client sends). */
    @JsonProperty public int top_k = 1;
    /** vLLM's {@code repetition_penalty}. Default 1.0 (as Hunyuan's vLLM client sends). */
    @JsonProperty public double repetition_penalty = 1.0;
    /** Retries of a 429 or 503 answer, each after its {@code Retry-After}. Default 2; 0 = none. */
    @JsonProperty public int max_retries = 2;
    /**
     * Longest {@code Retry-After} honoured by waiting, milliseconds; a longer one (or one past the
     * call's deadline) is passed to the caller as RetryInfo instead. Default 5000.
     */
    @JsonProperty public int max_retry_wait_ms = 5000;
    /** Largest answer body read, bytes; a larger one fails the call with UNAVAILABLE. Default 8 MiB. */
    @JsonProperty public int max_response_bytes = 8 * 1024 * 1024;
    /** How often {@code GET {base_url}/health} is probed, milliseconds. Default 5000. */
    @JsonProperty public int health_interval_ms = 5000;
    /**
     * While the upstream does not answer, report the whole server NOT_SERVING (gRPC health
     * {@code ""} and {@code /readyz}), not only the model's and OcrService's health names.
     * Default true: a replica whose only engine is unreachable takes no traffic. Set false to
     * keep replicas in the load balancer (callers then get UNAVAILABLE per call).
     */
    @JsonProperty public boolean readiness_follows_upstream = true;
  }

  /** Checks every value once; the message names the key. */
  public void validate() {
    require(name != null && !name.isBlank(), "name is required");
    require(ENGINE.equals(engine), "engine must be " + ENGINE);
    require(upstream != null, "upstream is required");
    Upstream u = upstream;
    require(u.base_url != null && !u.base_url.isBlank(), "upstream.base_url is required");
    baseUri();
    require(u.served_model != null && !u.served_model.isBlank(), "upstream.served_model is required");
    task();
    require(u.api_key_env == null || u.api_key_file == null,
        "set at most one of upstream.api_key_env and upstream.api_key_file");
    require(u.connect_timeout_ms > 0, "upstream.connect_timeout_ms must be > 0");
    require(u.request_timeout_ms > 0, "upstream.request_timeout_ms must be > 0");
    require(u.max_in_flight > 0, "upstream.max_in_flight must be > 0");
    require(u.max_queued >= 0, "upstream.max_queued must be >= 0");
    require(u.max_tokens > 0, "upstream.max_tokens must be > 0");
    require(u.top_k == -1 || u.top_k > 0, "upstream.top_k must be -1 (off) or > 0");
    require(u.repetition_penalty > 0, "upstream.repetition_penalty must be > 0");
    require(u.max_retries >= 0 && u.max_retries <= 10, "upstream.max_retries must be in 0..10");
    require(u.max_retry_wait_ms >= 0, "upstream.max_retry_wait_ms must be >= 0");
    require(u.max_response_bytes >= 1024, "upstream.max_response_bytes must be >= 1024");
    require(u.health_interval_ms >= 10, "upstream.health_interval_ms must be >= 10");
  }

  /** The base URL without a trailing slash, checked: http or https, a host, no user info, query or fragment. */
  public URI baseUri() {
    String s = upstream.base_url.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("upstream.base_url is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    require(scheme.equals("http") || scheme.equals("https"), "upstream.base_url must be http:// or https://");
    require(uri.getHost() != null, "upstream.base_url needs a host");
    // Credentials in the URL would end up in logs; they belong in api_key_env / api_key_file.
    require(uri.getRawUserInfo() == null, "upstream.base_url must not contain credentials (use api_key_env or api_key_file)");
    require(uri.getRawQuery() == null && uri.getRawFragment() == null, "upstream.base_url must not have a query or fragment");
    return uri;
  }

  /** The configured task. */
  public HunyuanTask task() {
    return HunyuanTask.parse(upstream.task);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
