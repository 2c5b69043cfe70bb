package dev.ocrgate.bench.accuracy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tesseract (Debian tesseract-ocr) as a process per image, TSV output, {@code OMP_THREAD_LIMIT=1}
 * (on a 2-core machine its OpenMP threads otherwise mostly spin). Pages use the default page
 * segmentation (--psm 3); line images --psm 7 (one text line), its best setting for them. Chinese
 * sets use {@code -l chi_sim+eng} for pages (they mix English commands into Chinese prose) and
 * {@code -l chi_sim} for lines.
 */
public final class TesseractSystem implements OcrSystem {
  private final String binary;

  private TesseractSystem(String binary) {
    this.binary = binary;
  }

  public static TesseractSystem create(String binary) {
    return new TesseractSystem(binary);
  }

  @Override
  public String name() {
    return "Tesseract";
  }

  @Override
  public String describe() {
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
          .findFirst().orElse("?");
      p.waitFor(10, TimeUnit.SECONDS);
      return first + " (LSTM, OMP_THREAD_LIMIT=1; pages --psm 3, lines --psm 7; eng | chi_sim+eng pages | chi_sim lines)";
    } catch (IOException | InterruptedException e) {
      return "tesseract (version unknown: " + e + ")";
    }
  }

  @Override
  public List<OcrLine> read(Path image, EvalSet set) throws IOException, InterruptedException {
    String lang = !set.chinese() ? "eng" : set.lines() ? "chi_sim" : "chi_sim+eng";
    ProcessBuilder pb = new ProcessBuilder(binary, image.toString(), "stdout",
        "-l", lang, "--psm", set.lines() ? "7" : "3", "tsv");
    pb.environment().put("OMP_THREAD_LIMIT", "1");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String tsv = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("tesseract failed on " + image);
    }
    return parseTsv(tsv);
  }

  /** Word rows (level 5) grouped into lines by (block, paragraph, line), in Tesseract's order. */
  static List<OcrLine> parseTsv(String tsv) {
    Map<String, List<String[]>> lines = new LinkedHashMap<>();
    for (String row : tsv.split("\n")) {
      String[] c = row.split("\t", -1);
      if (c.length < 12 || !c[0].equals("5") || c[11].isBlank()) {
        continue;
      }
      lines.computeIfAbsent(c[2] + "/" + c[3] + "/" + c[4], k -> new ArrayList<>()).add(c);
    }
    List<OcrLine> out = new ArrayList<>();
    for (List<String[]> words : lines.values()) {
      StringBuilder text = new StringBuilder();
      float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = 0, maxY = 0;
      for (String[] w : words) {
        int left = Integer.parseInt(w[6]), top = Integer.parseInt(w[7]);
        minX = Math.min(minX, left);
        minY = Math.min(minY, top);
        maxX = Math.max(maxX, left + Integer.parseInt(w[8]));
        maxY = Math.max(maxY, top + Integer.parseInt(w[9]));
        text.append(text.length() == 0 ? "" : " ").append(w[11].strip());
      }
      out.add(new OcrLine(text.toString(), minX, minY, maxX, maxY));
    }
    return out;
  }

  /** One process per image: as many at once as the caller starts. */
  @Override
  public int maxConcurrency() {
    return Integer.MAX_VALUE;
  }
}
