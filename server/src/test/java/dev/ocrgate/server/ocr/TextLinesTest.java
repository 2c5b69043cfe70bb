package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.vision.CtcDecoder;
import dev.ocrgate.server.vision.Lexicon;
import dev.ocrgate.server.vision.LexiconSpaces;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The word list applies to an image only when every line it returns is Latin text: one Chinese
 * line leaves every line of the image as read (Latin commands on a Chinese page included).
 */
class TextLinesTest {
  private static final LexiconSpaces LEXICON = new LexiconSpaces(Lexicon.of(List.of("ratio", "size")));

  private static List<String> assemble(LexiconSpaces lexicon, String... texts) {
    return assemble(lexicon, 0.5f, texts, new float[texts.length]);
  }

  private static List<String> assemble(LexiconSpaces lexicon, float minConfidence, String[] texts, float[] lowered) {
    List<Quad> boxes = new ArrayList<>();
    List<CtcDecoder.Decoded> decoded = new ArrayList<>();
    int[] order = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      boxes.add(Quad.of(new PixelRect(0, 20 * i, 100, 18)));
      decoded.add(new CtcDecoder.Decoded(texts[i], 0.9f - lowered[i]));
      order[i] = i;
    }
    return TextLines.assemble(boxes, order, decoded, minConfidence, new PixelRect(0, 0, 100, 200), lexicon)
        .stream().map(TextLine::getText).toList();
  }

  @Test
  void verify_latinImage_getsItsWordsJoined() {
    assertThat(assemble(LEXICON, "the rat io", "s i ze=10")).containsExactly("the ratio", "size=10");
  }

  @Test
  void verify_withoutAWordList_textsStayAsRead() {
    assertThat(assemble(null, "the rat io", "s i ze=10")).containsExactly("the rat io", "s i ze=10");
  }

  @Test
  void verify_oneChineseLine_leavesEveryLineOfTheImageAsRead() {
    assertThat(assemble(LEXICON, "the rat io", "设置 s i ze", "s i ze=10"))
        .containsExactly("the rat io", "设置 s i ze", "s i ze=10");
  }

  @Test
  void verify_aDroppedChineseLine_doesNotCount() {
    // the Chinese line is below the confidence threshold: the client sees Latin lines only
    assertThat(assemble(LEXICON, 0.5f, new String[] {"the rat io", "设置"}, new float[] {0, 0.6f}))
        .containsExactly("the ratio");
  }
}
