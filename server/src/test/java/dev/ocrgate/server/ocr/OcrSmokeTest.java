package dev.ocrgate.server.ocr;

import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TextImages;
import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

class OcrSmokeTest {
  @Test
  void smoke() {
    EngineSection s = new EngineSection();
    s.provider = "cpu";
    try (OcrEngine e = OcrEngine.open(RepoPaths.modelDir(), s)) {
      e.warmUp();
      TextImages.Rendered r = TextImages.render(900, 260, Color.WHITE, Color.BLACK, List.of(
          new TextImages.Line("The quick brown fox jumps", TextImages.latin(32), 20, 10),
          new TextImages.Line("over the lazy dog 12345", TextImages.latin(32), 20, 70),
          new TextImages.Line("快速的棕色狐狸跳过了懒狗", TextImages.chinese(32), 20, 130),
          new TextImages.Line("Mixed 中文 and English", TextImages.chinese(32), 20, 190)));
      for (int i = 0; i < 3; i++) {
        OcrResult res = e.read(OcrRequest.of(r.rgb()));
        System.out.println(res.timing());
        res.lines().forEach(l -> System.out.println(l.getText() + " " + l.getConfidence() + " " + l.getBox().getPointsList().get(0).getX() + "," + l.getBox().getPointsList().get(0).getY()+ " " + l.getBox().getPointsList().get(2).getX() + "," + l.getBox().getPointsList().get(2).getY()));
      }
      System.out.println(r.bounds());
    }
  }
}
