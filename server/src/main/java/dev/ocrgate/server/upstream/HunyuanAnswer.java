package dev.ocrgate.server.upstream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a HunyuanOCR answer into lines. Spotting answers are tried, in order, as
 * <ol>
 *   <li>a JSON array of {@code {"box"|"bbox": [x1, y1, x2, y2], "text": "..."}} (a Markdown code
 *       fence around it is removed; an array cut short by {@code max_tokens} keeps its complete
 *       objects);
 *   <li>Hunyuan's tag format {@code <ref>text</ref><quad>(x1,y1),(x2,y2)</quad>} and its variants
 *       ({@code <box>} for {@code <quad>}, four corner points, and
 *       {@code <quad><pos_x1><pos_y1><pos_x2><pos_y2></quad><ref>text</ref>});
 *   <li>the bare format {@code text(x1,y1),(x2,y2)}.
 * </ol>
 * Coordinates are normalised to [0, 1000] of the image sent (clamped). An answer that matches none
 * of these, and every answer of a text task, becomes one line per non-blank line of text, without
 * a box: an unparsable answer degrades, it never fails. A repeated tail is cut first
 * ({@link RepeatedTail}); at most {@value #MAX_CHARS} characters are read and {@value #MAX_LINES}
 * lines kept.
 *
 * <p>The formats are those Hunyuan's own scorer recognises ({@code train_verl/reward/task_scorers/
 * spotting.py} in github.com/Tencent-Hunyuan/HunyuanOCR). Stateless; thread-safe.
 */
public final class HunyuanAnswer {
  static final int MAX_LINES = 4096;
  /** Characters of an answer that are read (after the repeated tail is cut); 16384 tokens are far fewer. */
  static final int MAX_CHARS = 256 * 1024;
  /** Longest text one tagged item may have: bounds the regex's work on an answer full of unclosed tags. */
  private static final String ITEM_TEXT = "(.{0,1000}?)";
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.ALLOW_TRAILING_COMMA);
  private static final String NUM = "\\s*(-?\\d+(?:\\.\\d+)?)\\s*";
  private static final String POINT = "\\(" + NUM + "," + NUM + "\\)";
  /** {@code <ref>t</ref><quad>(..),(..)[,(..),(..)]</quad>}, also with {@code box} for {@code quad}. */
  private static final Pattern REF_QUAD = Pattern.compile(
      "<ref>" + ITEM_TEXT + "</ref>\\s*<(quad|box)>\\s*(" + POINT + "(?:\\s*,\\s*" + POINT + "){1,3})\\s*</\\2>",
      Pattern.DOTALL);
  private static final Pattern POS_QUAD = Pattern.compile(
      "<quad>\\s*<pos_(\\d+)>\\s*<pos_(\\d+)>\\s*<pos_(\\d+)>\\s*<pos_(\\d+)>\\s*</quad>\\s*<ref>" + ITEM_TEXT + "</ref>",
      Pattern.DOTALL);
  private static final Pattern BARE = Pattern.compile(POINT + "\\s*,\\s*" + POINT);
  private static final Pattern POINTS = Pattern.compile(POINT);
  private static final Pattern JSON_OBJECT = Pattern.compile("\\{[^{}]*\\}");

  private HunyuanAnswer() {}

  /**
   * One line of the answer.
   *
   * @param text the line's text, stripped, never empty
   * @param box x1, y1, x2, y2 (and for four-point quads x3, y3, x4, y4) in [0, 1000], or null
   */
  public record Line(String text, double[] box) {}

  /** The lines of {@code content}, answered for {@code task}. */
  public static List<Line> parse(String content, HunyuanTask task) {
    String text = RepeatedTail.cut(content == null ? "" : content);
    if (text.length() > MAX_CHARS) {
      text = text.substring(0, MAX_CHARS);
    }
    if (task.spotting()) {
      List<Line> lines = spotting(text);
      if (!lines.isEmpty()) {
        return lines;
      }
    }
    return plain(text);
  }

  private static List<Line> spotting(String text) {
    String body = unfence(text.strip());
    if (body.startsWith("[")) {
      List<Line> json = json(body);
      if (!json.isEmpty()) {
        return json;
      }
    }
    if (body.contains("<ref>")) {
      List<Line> tagged = tagged(body);
      if (!tagged.isEmpty()) {
        return tagged;
      }
    }
    return bare(body);
  }

  /** The text inside a Markdown code fence ({@code ```json ... ```}), or the text itself. */
  private static String unfence(String s) {
    if (!s.startsWith("```")) {
      return s;
    }
    int firstBreak = s.indexOf('\n');
    String inner = firstBreak < 0 ? "" : s.substring(firstBreak + 1);
    int close = inner.lastIndexOf("```");
    return (close < 0 ? inner : inner.substring(0, close)).strip();
  }

  private static List<Line> json(String body) {
    List<Line> lines = new ArrayList<>();
    try {
      JsonNode root = MAPPER.readTree(body);
      if (root != null && root.isArray()) {
        root.forEach(item -> addJsonItem(item, lines));
        return lines;
      }
    } catch (IOException e) {
      // Cut short (max_tokens, repeated tail): keep every complete object.
    }
    Matcher m = JSON_OBJECT.matcher(body);
    while (m.find() && lines.size() < MAX_LINES) {
      try {
        addJsonItem(MAPPER.readTree(m.group()), lines);
      } catch (IOException e) {
        // not an item; skip
      }
    }
    return lines;
  }

  private static void addJsonItem(JsonNode item, List<Line> lines) {
    if (item == null || !item.isObject() || lines.size() >= MAX_LINES) {
      return;
    }
    JsonNode box = item.has("box") ? item.get("box") : item.get("bbox");
    JsonNode text = item.get("text");
    if (text == null || !text.isValueNode()) {
      return;
    }
    double[] coords = null;
    if (box != null && box.isArray() && box.size() == 4 && allNumbers(box)) {
      coords = new double[4];
      for (int i = 0; i < 4; i++) {
        coords[i] = box.get(i).asDouble();
      }
    }
    add(lines, text.asText(), coords);
  }

  private static boolean allNumbers(JsonNode box) {
    for (JsonNode v : box) {
      if (!v.isNumber()) {
        return false;
      }
    }
    return true;
  }

  private static List<Line> tagged(String body) {
    List<Line> lines = new ArrayList<>();
    Matcher m = REF_QUAD.matcher(body);
    while (m.find() && lines.size() < MAX_LINES) {
      add(lines, m.group(1), points(m.group(3)));
    }
    if (lines.isEmpty()) {
      Matcher p = POS_QUAD.matcher(body);
      while (p.find() && lines.size() < MAX_LINES) {
        add(lines, p.group(5), new double[] {
            Double.parseDouble(p.group(1)), Double.parseDouble(p.group(2)),
            Double.parseDouble(p.group(3)), Double.parseDouble(p.group(4))});
      }
    }
    return lines;
  }

  private static double[] points(String list) {
    List<Double> v = new ArrayList<>(8);
    Matcher m = POINTS.matcher(list);
    while (m.find()) {
      v.add(Double.parseDouble(m.group(1)));
      v.add(Double.parseDouble(m.group(2)));
    }
    if (v.size() != 4 && v.size() != 8) {
      return null; // three points: no box shape we can trust
    }
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** {@code text(x1,y1),(x2,y2)} items back to back: each text runs from the previous pair's end. */
  private static List<Line> bare(String body) {
    List<Line> lines = new ArrayList<>();
    Matcher m = BARE.matcher(body);
    int last = 0;
    while (m.find() && lines.size() < MAX_LINES) {
      String text = body.substring(last, m.start());
      last = m.end();
      if (text.strip().replaceAll("[\\s(),]", "").isEmpty()) {
        continue; // a further coordinate pair, not a new item
      }
      add(lines, text, new double[] {
          Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
          Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))});
    }
    return lines;
  }

  private static List<Line> plain(String text) {
    List<Line> lines = new ArrayList<>();
    for (String line : text.split("\\R")) {
      if (lines.size() >= MAX_LINES) {
        break;
      }
      add(lines, line, null);
    }
    return lines;
  }

  private static void add(List<Line> lines, String text, double[] box) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      return;
    }
    if (box != null) {
      for (int i = 0; i < box.length; i++) {
        box[i] = Math.max(0, Math.min(1000, box[i]));
      }
    }
    lines.add(new Line(t, box));
  }
}
