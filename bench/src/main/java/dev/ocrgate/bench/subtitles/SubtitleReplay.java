package dev.ocrgate.bench.subtitles;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.cues.CueGrouper;
import dev.ocrgate.cues.CueLine;
import dev.ocrgate.cues.CueRules;
import dev.ocrgate.cues.CueSpan;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Tuning aid for the cue rules: replays the frame results {@link SubtitleFrameDump} wrote through
 * {@link CueGrouper} and scores the cues against the truth SRTs ({@link SubtitleScore}), so rules
 * can be compared in seconds instead of OCR'ing the videos again. Lines whose box starts above
 * BAND_Y (fraction of the frame height) are left out, to imitate a narrower region.
 *
 * <p>Usage: {@code SubtitleReplay DUMP_DIR SET_DIR BAND_Y [confirmFrames gapFrames minConfidence
 * [old]]}; "old" replays without the junk rules (confirm 1, gap 0, confidence 0: the rules before
 * them, except for the geometric ones). Prints one row per video, the sum, and every extra cue.
 */
public final class SubtitleReplay {
  private SubtitleReplay() {}

  public static void main(String[] args) throws IOException {
    Path dumps = Path.of(args[0]), set = Path.of(args[1]);
    double bandY = Double.parseDouble(args[2]);
    CueRules.Builder b = CueRules.builder();
    if (args.length > 3) {
      b.confirmFrames(Integer.parseInt(args[3])).gapFrames(Integer.parseInt(args[4]))
          .minConfidence(Float.parseFloat(args[5]));
    }
    boolean old = args.length > 6 && args[6].equals("old");
    CueRules rules = b.build();
    List<Path> files;
    try (Stream<Path> s = Files.list(dumps)) {
      files = s.filter(p -> p.toString().endsWith(".frames")).sorted().toList();
    }
    SubtitleScore sum = SubtitleScore.empty();
    List<String> extras = new ArrayList<>();
    System.out.println("rules " + rules + " band " + bandY + (old ? " without geometry" : ""));
    for (Path f : files) {
      String id = f.getFileName().toString().replace(".frames", "");
      List<Srt.Cue> truth = Srt.read(set.resolve(id + ".srt"));
      List<Srt.Cue> produced = replay(f, rules, bandY, old);
      SubtitleScore s = SubtitleScore.of(truth, produced);
      sum = sum.plus(s);
      System.out.println(row(id, s));
      for (Srt.Cue p : produced) {
        if (SubtitleScore.of(truth, List.of(p)).found() == 0) {
          extras.add(id + " " + p.startMs() + "-" + p.endMs() + " " + p.text().replace("\n", " / "));
        }
      }
    }
    System.out.println(row("all", sum));
    extras.forEach(e -> System.out.println("  extra " + e));
  }

  static List<Srt.Cue> replay(Path dump, CueRules rules, double bandY, boolean old) throws IOException {
    CueGrouper g = new CueGrouper(rules, 200);
    List<Srt.Cue> cues = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(dump))) {
      FrameResult.parseDelimitedFrom(in);
      long h = FrameResult.parseDelimitedFrom(in).getSeq();
      FrameResult r;
      while ((r = FrameResult.parseDelimitedFrom(in)) != null) {
        List<CueLine> lines = new ArrayList<>();
        for (var l : r.getLinesList()) {
          CueLine c = CueLine.of(l);
          if (c.top() >= bandY * h) {
            lines.add(old ? CueLine.textOnly(c.text()) : c);
          }
        }
        g.accept(r.getSeq(), r.getPtsMs(), lines).ifPresent(c -> cues.add(cue(c)));
      }
    }
    g.finish().ifPresent(c -> cues.add(cue(c)));
    return cues;
  }

  private static Srt.Cue cue(CueSpan s) {
    return new Srt.Cue(s.startMs(), s.endMs(), s.text());
  }

  private static String row(String id, SubtitleScore s) {
    return String.format(Locale.ROOT, "%-7s truth %3d produced %3d recall %.3f cerAll %.3f extra %3d split %3d start %4.0f/%4d end %4.0f/%4d",
        id, s.truthCues(), s.producedCues(), s.recall(), s.charErrorsAll().rate(), s.extra(), s.split(),
        s.meanStartErrorMs(), s.startErrorMaxMs(), s.meanEndErrorMs(), s.endErrorMaxMs());
  }
}
