package dev.ocrgate.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TesseractTsvTest {
  @Test
  void parseTsv_groupsWordsIntoLinesWithUnionBoxes() {
    String tsv = String.join("\n",
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
        "1\t1\t0\t0\t0\t0\t0\t0\t500\t200\t-1\t",
        "4\t1\t1\t1\t1\t0\t10\t10\t200\t20\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t96\tHello",
        "5\t1\t1\t1\t1\t2\t70\t12\t140\t18\t95\tworld",
        "5\t1\t1\t1\t2\t1\t10\t40\t30\t20\t90\tnext",
        "5\t1\t1\t1\t2\t2\t50\t40\t30\t20\t-1\t ");
    List<OcrLine> lines = TesseractSystem.parseTsv(tsv);
    assertEquals(List.of(
        new OcrLine("Hello world", 10, 10, 210, 30),
        new OcrLine("next", 10, 40, 40, 60)), lines);
  }
}
