package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {
  @Test
  void requestBody_isHunyuansClientRequest_emptySystemMessage_imageThenPrompt_greedyWithVllmFields() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    byte[] body = ChatCompletions.requestBody("tencent/HunyuanOCR", png, HunyuanTask.TEXT.prompt(),
        new ChatCompletions.Sampling(16384, 1, 1.0));
    JsonNode json = MockVllmServer.JSON.readTree(body);
    assertThat(json.path("model").asText()).isEqualTo("tencent/HunyuanOCR");
    assertThat(json.path("messages")).hasSize(2);
    assertThat(json.at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(json.at("/messages/0/content").asText()).isEmpty();
    assertThat(json.at("/messages/1/role").asText()).isEqualTo("user");
    assertThat(json.at("/messages/1/content/0/type").asText()).isEqualTo("image_url");
    String url = json.at("/messages/1/content/0/image_url/url").asText();
    assertThat(url).startsWith("data:image/png;base64,");
    assertThat(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))).isEqualTo(png);
    assertThat(json.at("/messages/1/content/1/type").asText()).isEqualTo("text");
    assertThat(json.at("/messages/1/content/1/text").asText()).isEqualTo("提取图中的文字。");
    assertThat(json.path("temperature").asDouble()).isEqualTo(0.0);
    assertThat(json.path("max_tokens").asInt()).isEqualTo(16384);
    assertThat(json.path("top_k").asInt()).isEqualTo(1);
    assertThat(json.path("repetition_penalty").asDouble()).isEqualTo(1.0);
    assertThat(json.path("skip_special_tokens").asBoolean()).isTrue();
    assertThat(json.path("stream").asBoolean(true)).isFalse();
  }

  @Test
  void parseAnswer_readsContentFinishReasonAndUsage() throws Exception {
    byte[] body = MockVllmServer.chatCompletion("hello", "length", 812, 16384).toString().getBytes(StandardCharsets.UTF_8);
    ChatCompletions.Answer a = ChatCompletions.parseAnswer(body);
    assertThat(a.content()).isEqualTo("hello");
    assertThat(a.truncated()).isTrue();
    assertThat(a.promptTokens()).isEqualTo(812);
    assertThat(a.completionTokens()).isEqualTo(16384);
  }

  @Test
  void parseAnswer_nullContent_isEmpty_andMissingUsageIsZero() throws Exception {
    var json = MockVllmServer.chatCompletion(null, "stop", 1, 0);
    json.remove("usage");
    ChatCompletions.Answer a = ChatCompletions.parseAnswer(json.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(a.content()).isEmpty();
    assertThat(a.promptTokens()).isZero();
  }

  @Test
  void parseAnswer_notAChatCompletion_isMalformed() {
    for (String body : new String[] {"<html>502 Bad Gateway</html>", "[]", "{\"choices\": []}",
        "{\"choices\": [{\"message\": {\"content\": 5}}]}", "{\"id\": \"x\", \"choices\": [{\"mess"}) {
      assertThatThrownBy(() -> ChatCompletions.parseAnswer(body.getBytes(StandardCharsets.UTF_8)))
          .as(body).isInstanceOf(ChatCompletions.MalformedAnswerException.class);
    }
  }

  @Test
  void errorMessage_readsBothVllmErrorShapes_boundedAndPrintable() {
    assertThat(ChatCompletions.errorMessage("{\"object\":\"error\",\"message\":\"bad\\nimage\",\"code\":400}"
        .getBytes(StandardCharsets.UTF_8))).isEqualTo("bad image");
    assertThat(ChatCompletions.errorMessage("{\"error\":{\"message\":\"nope\"}}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("nope");
    assertThat(ChatCompletions.errorMessage(("{\"message\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8)))
        .hasSizeLessThan(210);
    assertThat(ChatCompletions.errorMessage("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
