package dev.ocrgate.bench.accuracy;

/**
 * One system's totals on one set. CERs are micro-averaged: all edit errors over all reference
 * characters of the set, so a long page weighs more than a short one.
 *
 * @param ownOrder character errors with lines joined in the system's own order
 * @param geometricOrder character errors with lines re-ordered by {@link LineOrder#geometric}
 * @param words word counts (order-insensitive), for word F1
 * @param images images read
 * @param seconds wall time spent inside the system's read calls, decoding included
 * @param concurrency read calls in flight during the throughput pass (0 = no such pass)
 * @param loadedSeconds wall time of the throughput pass over the same images
 */
public record SetScore(
    String set,
    String system,
    TextMetrics.CharErrors ownOrder,
    TextMetrics.CharErrors geometricOrder,
    TextMetrics.WordCounts words,
    int images,
    double seconds,
    int concurrency,
    double loadedSeconds) {

  public static SetScore empty(String set, String system) {
    return new SetScore(set, system, new TextMetrics.CharErrors(0, 0),
        new TextMetrics.CharErrors(0, 0), new TextMetrics.WordCounts(0, 0, 0), 0, 0, 0, 0);
  }

  /** This score with a throughput pass of {@code images} images at {@code concurrency}. */
  public SetScore withThroughput(int concurrency, double loadedSeconds) {
    return new SetScore(set, system, ownOrder, geometricOrder, words, images, seconds, concurrency,
        loadedSeconds);
  }

  public SetScore plus(TextMetrics.CharErrors own, TextMetrics.CharErrors geo,
      TextMetrics.WordCounts w, double secs) {
    return new SetScore(set, system, ownOrder.plus(own), geometricOrder.plus(geo), words.plus(w),
        images + 1, seconds + secs, concurrency, loadedSeconds);
  }

  /** One tab-separated line, read back by {@link #parse}. */
  public String toTsv() {
    return String.join("\t", set, system,
        Integer.toString(ownOrder.errors()), Integer.toString(ownOrder.referenceLength()),
        Integer.toString(geometricOrder.errors()), Integer.toString(geometricOrder.referenceLength()),
        Integer.toString(words.matched()), Integer.toString(words.referenceWords()),
        Integer.toString(words.hypothesisWords()), Integer.toString(images), Double.toString(seconds),
        Integer.toString(concurrency), Double.toString(loadedSeconds));
  }

  public static SetScore parse(String tsv) {
    String[] c = tsv.split("\t");
    return new SetScore(c[0], c[1],
        new TextMetrics.CharErrors(Integer.parseInt(c[2]), Integer.parseInt(c[3])),
        new TextMetrics.CharErrors(Integer.parseInt(c[4]), Integer.parseInt(c[5])),
        new TextMetrics.WordCounts(Integer.parseInt(c[6]), Integer.parseInt(c[7]), Integer.parseInt(c[8])),
        Integer.parseInt(c[9]), Double.parseDouble(c[10]),
        c.length > 12 ? Integer.parseInt(c[11]) : 0, c.length > 12 ? Double.parseDouble(c[12]) : 0);
  }

  /** Sequential rate: one read call at a time. */
  public double imagesPerSecond() {
    return seconds == 0 ? 0 : images / seconds;
  }

  /**
   * The system's throughput: the rate of the throughput pass when it had one with more than one
   * call in flight, else the sequential rate.
   */
  public double throughput() {
    return concurrency > 1 && loadedSeconds > 0 ? images / loadedSeconds : imagesPerSecond();
  }
}
