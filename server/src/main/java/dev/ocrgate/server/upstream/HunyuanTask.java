package dev.ocrgate.server.upstream;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tasks a HunyuanOCR model set can be configured for, each with the model's official fixed
 * prompt and the shape of its answer. Callers choose none of this: the prompt is part of the
 * model set's configuration, because hand-edited instructions degrade the model's output (the
 * reason Hunyuan's own client offers a task choice and no free-form prompt).
 *
 * <p>The prompts are the official wording published by Tencent in the model's repository
 * (github.com/Tencent-Hunyuan/HunyuanOCR: {@code inference/utils/tasks.py} and the
 * "Application-oriented Prompts" table of its README); they must be sent byte for byte.
 */
public enum HunyuanTask {
  /** Text spotting answered as a JSON array of {@code {"box": [x1, y1, x2, y2], "text": ...}}, boxes in [0, 1000]. */
  SPOTTING_JSON("spotting_json", true,
      "检测并识别图中所有的文字行，请按从上到下、从左到右的阅读顺序进行识别。 "
          + "输出格式为 JSON 数组，每个元素必须包含："
          + "\"box\": [xmin, ymin, xmax, ymax]（坐标需归一化到 [0, 1000] 范围内）；"
          + "\"text\": \"识别出的文字内容\"。 "
          + "注意：请直接输出 JSON 数组，不要包含任何多余的描述性文字。"),
  /** Text spotting in Hunyuan's coordinate format: {@code <ref>text</ref><quad>(x1,y1),(x2,y2)</quad>}, in [0, 1000]. */
  SPOTTING_HUNYUAN("spotting_hunyuan", true, "检测并识别图片中的文字，将文本坐标格式化输出。"),
  /** Plain text extraction ("extract the text in the image"): lines without boxes. */
  TEXT("text", false, "提取图中的文字。"),
  /** Document parsing to Markdown (tables as HTML, formulas as LaTeX): one line per Markdown line, no boxes. */
  DOC_PARSE("doc_parse", false,
      "提取文档图片中正文的所有信息用markdown格式表示，其中页眉、页脚部分忽略，表格用html格式表达，"
          + "文档中公式用latex格式表示，按照阅读顺序组织进行解析。");

  private final String key;
  private final boolean spotting;
  private final String prompt;

  HunyuanTask(String key, boolean spotting, String prompt) {
    this.key = key;
    this.spotting = spotting;
    this.prompt = prompt;
  }

  /** The configuration value, e.g. {@code spotting_json}. */
  public String key() {
    return key;
  }

  /** The fixed prompt sent with every image. */
  public String prompt() {
    return prompt;
  }

  /** True when the answer carries boxes (spotting formats), false for plain text. */
  public boolean spotting() {
    return spotting;
  }

  /** The task named {@code key}; the message lists the valid ones. */
  public static HunyuanTask parse(String key) {
    String k = key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
    for (HunyuanTask t : values()) {
      if (t.key.equals(k)) {
        return t;
      }
    }
    throw new IllegalArgumentException("upstream.task must be one of "
        + Arrays.stream(values()).map(HunyuanTask::key).collect(Collectors.joining(", ")));
  }
}
