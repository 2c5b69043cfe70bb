package dev.ocrgate.server.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The OpenAI chat-completions wire format as vLLM speaks it, for one image and one fixed prompt:
 * the request body HunyuanOCR's own vLLM client sends (an empty system message, then a user
 * message holding the image as a data URI and the task's prompt; greedy decoding; vLLM's extra
 * sampling fields {@code top_k}, {@code repetition_penalty}, {@code skip_special_tokens}) and
 * the parts of the answer ocrgate reads ({@code choices[0].message.content},
 * {@code finish_reason}, {@code usage}). Stateless; thread-safe.
 *
 * <p>Sources: Hunyuan's client {@code inference/vLLM/infer_vllm_client.py} in
 * github.com/Tencent-Hunyuan/HunyuanOCR, and vLLM's OpenAI-compatible server documentation
 * (extra sampling parameters are accepted as top-level body fields).
 */
public final class ChatCompletions {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_LOGGED_MESSAGE = 200;

  private ChatCompletions() {}

  /** The sampling settings of every request (from the model set's configuration). */
  public record Sampling(int maxTokens, int topK, double repetitionPenalty) {}

  /** What ocrgate reads from a successful answer. {@code content} is never null (null = ""). */
  public record Answer(String content, String finishReason, long promptTokens, long completionTokens) {
    /** True when generation stopped at {@code max_tokens}: the content is cut short. */
    public boolean truncated() {
      return "length".equals(finishReason);
    }
  }

  /** The answer's body is not a chat completion. */
  public static final class MalformedAnswerException extends Exception {
    MalformedAnswerException(String message) {
      super(message);
    }
  }

  /**
   * The JSON body for one image.
   *
   * @param model the served model name
   * @param png the image, PNG-encoded
   * @param prompt the task's fixed prompt
   */
  public static byte[] requestBody(String model, byte[] png, String prompt, Sampling sampling) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length * 4 / 3 + 4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("messages");
      g.writeStartObject();
      g.writeStringField("role", "system");
      g.writeStringField("content", "");
      g.writeEndObject();
      g.writeStartObject();
      g.writeStringField("role", "user");
      g.writeArrayFieldStart("content");
      g.writeStartObject();
      g.writeStringField("type", "image_url");
      g.writeObjectFieldStart("image_url");
      g.writeStringField("url", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
      g.writeEndObject();
      g.writeEndObject();
      g.writeStartObject();
      g.writeStringField("type", "text");
      g.writeStringField("text", prompt);
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeNumberField("temperature", 0.0);
      g.writeNumberField("max_tokens", sampling.maxTokens());
      g.writeNumberField("top_k", sampling.topK());
      g.writeNumberField("repetition_penalty", sampling.repetitionPenalty());
      g.writeBooleanField("skip_special_tokens", true);
      g.writeBooleanField("stream", false);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /** The content, finish reason and token usage of a 200 answer. */
  public static Answer parseAnswer(byte[] body) throws MalformedAnswerException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new MalformedAnswerException("answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedAnswerException("answer is not a JSON object");
    }
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject() || !choice.path("message").isObject()) {
      throw new MalformedAnswerException("answer has no choices[0].message");
    }
    JsonNode content = choice.path("message").path("content");
    if (!content.isTextual() && !content.isNull() && !content.isMissingNode()) {
      throw new MalformedAnswerException("choices[0].message.content is not a string");
    }
    JsonNode usage = root.path("usage");
    return new Answer(content.isTextual() ? content.textValue() : "",
        choice.path("finish_reason").isTextual() ? choice.path("finish_reason").textValue() : "",
        Math.max(0, usage.path("prompt_tokens").asLong(0)),
        Math.max(0, usage.path("completion_tokens").asLong(0)));
  }

  /**
   * The {@code message} of an error body, for the server log only: vLLM's
   * {@code {"object": "error", "message": ...}} or the newer {@code {"error": {"message": ...}}};
   * at most 200 characters, control characters replaced. Empty when the body has none.
   */
  public static String errorMessage(byte[] body) {
    try {
      JsonNode root = MAPPER.readTree(body);
      if (root == null) {
        return "";
      }
      JsonNode m = root.path("error").isObject() ? root.path("error").path("message") : root.path("message");
      return m.isTextual() ? printable(m.textValue()) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String printable(String s) {
    String cut = s.length() > MAX_LOGGED_MESSAGE ? s.substring(0, MAX_LOGGED_MESSAGE) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", " ");
  }
}
