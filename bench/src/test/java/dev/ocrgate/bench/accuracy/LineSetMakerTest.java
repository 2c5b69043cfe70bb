package dev.ocrgate.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSetMakerTest {
  @Test
  void eligible_keepsChineseProseOnly() {
    assertTrue(LineSetMaker.eligible("理解它们的效果却使用它们会破坏你的整个系统。"));
    assertFalse(LineSetMaker.eligible("2.3.1. 通过正则表达式匹配软件包名称来列出软件包"), "numbered heading");
    assertFalse(LineSetMaker.eligible("。如果是这种情况，试下右击桌面屏幕"), "wrapped tail");
    assertFalse(LineSetMaker.eligible("|command1 ;  |依次执行 command1 和 command2"), "table row");
    assertFalse(LineSetMaker.eligible("The programs included with Debian"), "English");
    assertFalse(LineSetMaker.eligible("短行"), "too short");
  }

  @Test
  void pick_takesEvenlySpacedEligibleLines_deterministically() {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      corpus.add("第" + "一二三四五六七八九十".charAt(i % 10) + "行的中文文本内容" + i);
      corpus.add("noise " + i);
    }
    List<String> picked = LineSetMaker.pick(corpus, 4);
    assertEquals(List.of(corpus.get(24), corpus.get(74), corpus.get(124), corpus.get(174)), picked);
    assertEquals(picked, LineSetMaker.pick(corpus, 4));
  }
}
