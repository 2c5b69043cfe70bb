package dev.ocrgate.bench.subtitles;

import dev.ocrgate.bench.accuracy.EvalSet;
import dev.ocrgate.bench.accuracy.LineOrder;
import dev.ocrgate.bench.accuracy.RapidOcrSystem;
import dev.ocrgate.bench.accuracy.TextNormalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The naive peer of the subtitle bench: ffmpeg samples the video at FPS and crops the same band
 * {@code ocrgate subtitles} reads by default (the bottom quarter), every sampled frame goes through
 * RapidOcr-Java (default parameters, 2 threads), its lines in reading order ({@link LineOrder#geometric})
 * are the frame's text, and identical consecutive texts (after {@link TextNormalizer}) are merged
 * into one cue from the first frame's time to the last one's plus one interval. Empty texts end a cue.
 *
 * <p>Usage: {@code SubtitlePeer VIDEO OUT.srt FPS COUNTS}; writes "sampled ocred" (both the frame
 * count) to COUNTS (the library logs to standard output).
 */
public final class SubtitlePeer {
  private SubtitlePeer() {}

  public static void main(String[] args) throws Exception {
    Path video = Path.of(args[0]), out = Path.of(args[1]), counts = Path.of(args[3]);
    double fps = Double.parseDouble(args[2]);
    Path frames = Files.createTempDirectory("subtitle-peer");
    try {
      Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-i", video.toString(), "-an",
          "-vf", "fps=" + fps + ",crop=iw:ih/4:0:ih*3/4", frames.resolve("%06d.png").toString())
          .inheritIO().start();
      if (ffmpeg.waitFor() != 0) {
        throw new IOException("ffmpeg failed on " + video);
      }
      List<Path> pngs;
      try (Stream<Path> s = Files.list(frames)) {
        pngs = s.sorted(Comparator.comparing(Path::toString)).toList();
      }
      RapidOcrSystem ocr = RapidOcrSystem.create(Runtime.getRuntime().availableProcessors());
      EvalSet set = new EvalSet("subtitles", frames, false, false);
      long interval = Math.round(1000 / fps);
      List<String> texts = new ArrayList<>();
      for (Path png : pngs) {
        texts.add(LineOrder.geometric(ocr.read(png, set)));
      }
      Files.writeString(out, Srt.format(merge(texts, interval)), StandardCharsets.UTF_8);
      Files.writeString(counts, pngs.size() + " " + pngs.size() + "\n", StandardCharsets.UTF_8);
    } finally {
      try (Stream<Path> s = Files.list(frames)) {
        for (Path p : s.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(frames);
    }
  }

  /** Cues from per-frame texts: identical consecutive (normalised) texts merge; empty texts end a cue. */
  static List<Srt.Cue> merge(List<String> texts, long intervalMs) {
    List<Srt.Cue> cues = new ArrayList<>();
    String current = "";
    int first = 0;
    for (int i = 0; i <= texts.size(); i++) {
      String t = i < texts.size() ? TextNormalizer.normalize(texts.get(i)) : "";
      if (!t.equals(current)) {
        if (!current.isEmpty()) {
          cues.add(new Srt.Cue(first * intervalMs, i * intervalMs, current));
        }
        current = t;
        first = i;
      }
    }
    return cues;
  }
}
