package dev.ocrgate.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SetScoreTest {
  private static SetScore tenImagesInFiveSeconds() {
    SetScore s = SetScore.empty("zh-lines", "ocrgate");
    for (int i = 0; i < 10; i++) {
      s = s.plus(new TextMetrics.CharErrors(1, 20), new TextMetrics.CharErrors(2, 20),
          new TextMetrics.WordCounts(0, 0, 0), 0.5);
    }
    return s;
  }

  @Test
  void verify_throughput_isTheConcurrentPassRate_orTheSequentialRateWithoutOne() {
    SetScore sequential = tenImagesInFiveSeconds();
    assertEquals(2.0, sequential.imagesPerSecond(), 1e-9);
    assertEquals(2.0, sequential.throughput(), 1e-9);
    assertEquals(2.0, sequential.withThroughput(1, 5.0).throughput(), 1e-9);

    SetScore loaded = sequential.withThroughput(2, 2.0);
    assertEquals(5.0, loaded.throughput(), 1e-9);
    assertEquals(2.0, loaded.imagesPerSecond(), 1e-9);
  }

  @Test
  void verify_tsv_roundTrips_andReadsFilesWrittenBeforeTheThroughputPass() {
    SetScore loaded = tenImagesInFiveSeconds().withThroughput(2, 2.0);
    assertEquals(loaded, SetScore.parse(loaded.toTsv()));

    String[] old = loaded.toTsv().split("\t");
    String elevenColumns = String.join("\t", java.util.Arrays.copyOf(old, 11));
    SetScore parsed = SetScore.parse(elevenColumns);
    assertEquals(0, parsed.concurrency());
    assertEquals(2.0, parsed.throughput(), 1e-9);
  }
}
