package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.cues.CueSimilarity;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.ocr.OcrRequest;

/**
 * A stream's validated settings: the client's {@link StreamConfig} with server defaults filled
 * in. Immutable.
 *
 * @param changeRule when a frame may reuse the last read frame's result; null = never reuse
 * @param cueSimilarity kept as the decimal the float field or the config holds (see {@link CueSimilarity})
 * @param autoRegion SUBTITLE mode without a region, automatic region enabled: the region is found
 *     by {@link SubtitleBand} and {@code region} is not used
 */
record StreamPlan(
    StreamRegion region,
    boolean autoRegion,
    OcrRequest.Mode mode,
    ChangeRule changeRule,
    boolean emitCues,
    CueSimilarity cueSimilarity,
    long frameIntervalMs,
    float minConfidence) {

  /** Validates {@code c}; the IllegalArgumentException's message is fixed and client-safe. */
  static StreamPlan of(StreamConfig c, StreamingSection defaults) {
    OcrRequest.Mode mode = switch (c.getMode()) {
      case STREAM_MODE_UNSPECIFIED, STREAM_MODE_SUBTITLE -> OcrRequest.Mode.SUBTITLE;
      case STREAM_MODE_FULL -> OcrRequest.Mode.FULL;
      default -> throw new IllegalArgumentException("unknown stream mode");
    };
    // The modes differ in what is read when no region is given: the subtitle band, or the whole
    // frame. Either way the pipeline detects text inside the region and recognises it.
    StreamRegion region = StreamRegion.of(c.getRegion(), c.hasRegion(),
        mode == OcrRequest.Mode.FULL ? StreamRegion.WHOLE_FRAME : StreamRegion.SUBTITLE_BAND);
    boolean autoRegion = mode == OcrRequest.Mode.SUBTITLE && defaults.subtitle_region.enabled
        && (!c.hasRegion() || c.getRegion().getRectCase() == Region.RectCase.RECT_NOT_SET);
    float t = c.getChangeThreshold();
    if (Float.isNaN(t) || t > 1) {
      throw new IllegalArgumentException("change_threshold must be <= 1");
    }
    float s = c.getCueSimilarity();
    if (!(s >= 0 && s <= 1)) {
      throw new IllegalArgumentException("cue_similarity must be in [0, 1]");
    }
    float conf = c.getMinConfidence();
    if (!(conf >= 0 && conf <= 1)) {
      throw new IllegalArgumentException("min_confidence must be in [0, 1]");
    }
    return new StreamPlan(region, autoRegion, mode, changeRule(mode, t, defaults), c.getEmitCues(),
        CueSimilarity.of(s == 0 ? defaults.cue_similarity : s), Integer.toUnsignedLong(c.getFrameIntervalMs()), conf);
  }

  /** FULL mode compares pixels, SUBTITLE mode light text; {@code t}: 0 = default, negative = never. */
  private static ChangeRule changeRule(OcrRequest.Mode mode, float t, StreamingSection defaults) {
    if (t < 0) {
      return null;
    }
    return mode == OcrRequest.Mode.FULL
        ? PixelChangeRule.below(t == 0 ? defaults.change_threshold : t)
        : TextChangeRule.of(t == 0 ? defaults.text_change_threshold : t);
  }
}
