package dev.ocrgate.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineOrderTest {
  @Test
  void geometric_rowsTopToBottom_boxesLeftToRight() {
    List<OcrLine> shuffled = List.of(
        new OcrLine("right", 300, 12, 400, 30),
        new OcrLine("second", 10, 50, 200, 70),
        new OcrLine("left", 10, 10, 200, 30));
    assertEquals("left right \nsecond \n", LineOrder.geometric(shuffled));
  }

  @Test
  void asReturned_keepsTheSystemsOrder() {
    List<OcrLine> lines = List.of(new OcrLine("b", 0, 50, 1, 60), new OcrLine("a", 0, 0, 1, 10));
    assertEquals("b\na\n", LineOrder.asReturned(lines));
  }
}
