package dev.ocrgate.server.vision;

/**
 * Thresholds of DB (differentiable binarisation) post-processing, as in PaddleOCR/RapidOCR.
 *
 * @param thresh a probability above this marks a text pixel (0.3)
 * @param boxThresh a box is kept when the mean probability inside it is at least this (0.5–0.6)
 * @param unclipRatio boxes grow by area · ratio / perimeter on every side (1.6)
 * @param maxCandidates at most this many components are examined (1000)
 * @param minSize boxes whose short side is below this (map pixels) are dropped (3)
 * @param useDilation dilate the binary map by a 2×2 kernel first (RapidOCR: true)
 */
public record DbParams(
    float thresh,
    float boxThresh,
    float unclipRatio,
    int maxCandidates,
    float minSize,
    boolean useDilation) {}
