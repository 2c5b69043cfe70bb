package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.testing.TextImages;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recognition.latin_unclip_ratio} through the real models, a model set with it off (0) and
 * one with it on (1.5, the value measured): an English page set tight (line boxes overlapping) is
 * read once, from the tighter crops, its {@link BatchedOcrPipeline#PROBE_LINES} widest lines first
 * to learn the script; a Chinese page set tight (with Latin command lines on it) is read from its
 * detected crops after only the probe, exactly as with the setting off, texts and boxes; one whose
 * widest lines are Latin goes through every Latin crop and then every detected crop and still
 * reads as off; lines that stand apart, a video frame's lines and light text on a dark background
 * keep their detected crops (one pass, the same answer as off).
 */
class LatinCropGoldenTest {
  /** Line pitch of set print, as a 150-dpi page of a typeset manual has it (1.1 times the font size). */
  private static final double TIGHT = 1.1;
  private static final String[] CHINESE = {"软件包管理系统的配置文件位于目录中", "lsblk --output NAME,SIZE", "使用 apt-get 命令安装软件包"};
  @TempDir static Path dir;
  private static final AtomicLong OFF_LINES = new AtomicLong();
  private static final AtomicLong ON_LINES = new AtomicLong();
  private static OcrModule off;
  private static OcrModule on;

  @BeforeAll
  static void open() throws Exception {
    off = module("off", 0f, OFF_LINES);
    on = module("on", 1.5f, ON_LINES);
  }

  @AfterAll
  static void close() {
    if (off != null) {
      off.close();
    }
    if (on != null) {
      on.close();
    }
  }

  @Test
  void verify_englishPageSetTight_isReadFromLatinCrops() throws Exception {
    String[] lines = {
        "MC takes care of all file operations through its menu, requiring minimal user effort.",
        "The unattended-upgrades package is mainly intended for the security upgrade.",
        "Systems: you should backup all important data on the system after the recovery.",
        "See the manual page for the configuration of the package."};
    BufferedImage page = page(lines, 16, "DejaVu Serif", TIGHT);
    long before = ON_LINES.get();
    List<TextLine> read = read(on, page);
    assertThat(read.stream().map(TextLine::getText)).containsExactly(lines);
    assertThat(ON_LINES.get() - before).as("recognition items: every line once, the probe's first")
        .isEqualTo(lines.length);
  }

  @Test
  void verify_chinesePageSetTight_readsAsWithTheSettingOff_afterOnlyTheProbe() throws Exception {
    String[] lines = {CHINESE[0], CHINESE[1], CHINESE[2], "ls -l /etc/apt/sources.list", "安装软件包之前先更新列表"};
    OnAndOff read = onAndOff(page(lines, 26, "Noto Sans CJK SC", TIGHT));
    assertThat(read.withOn()).isEqualTo(read.withOff());
    assertThat(read.withOff()).hasSize(lines.length);
    assertThat(read.items()).as("recognition items: at most the probe's lines read twice (Latin crop, detected crop)")
        .isBetween((long) lines.length, (long) lines.length + BatchedOcrPipeline.PROBE_LINES);
  }

  @Test
  void verify_chinesePageWhoseWidestLinesAreLatin_readsAsWithTheSettingOff() throws Exception {
    String[] lines = {
        "lsblk --output NAME,SIZE,TYPE,MOUNTPOINT",
        "apt-get install --no-install-recommends",
        "dpkg-reconfigure --priority=low debconf",
        "软件包管理"};
    OnAndOff read = onAndOff(page(lines, 26, "Noto Sans CJK SC", TIGHT));
    assertThat(read.withOn()).isEqualTo(read.withOff());
    assertThat(read.withOff().stream().map(TextLine::getText)).contains("软件包管理");
    assertThat(read.items()).as("recognition items: Latin crops, then the detected crops of the lines regrown")
        .isBetween((long) lines.length + 1, 2L * lines.length);
  }

  @Test
  void verify_closeRightAfterASetTightPage_stillAnswersIt_throughEveryPass() throws Exception {
    String[] lines = {
        "The unattended-upgrades package is mainly intended for the security upgrade.",
        "See the manual page for the configuration of the package.",
        "lsblk --output NAME,SIZE,TYPE,MOUNTPOINT",
        "软件包管理系统的配置文件位于目录中"};
    BufferedImage page = page(lines, 22, "Noto Sans CJK SC", TIGHT);
    List<TextLine> expected = read(off, page);
    OcrModule closing = module("closing", 1.5f, new AtomicLong());
    CompletableFuture<OcrResult> answer;
    try {
      answer = closing.pipeline().recognize(OcrRequest.of(TextImages.toRgb(page)));
    } finally {
      closing.close(); // drains: the probe's passes still submit to recognition
    }
    assertThat(answer).isDone();
    assertThat(answer.get().lines()).isEqualTo(expected);
  }

  @Test
  void verify_linesStandingApart_andAVideoFramesLines_keepTheirDetectedCrops() throws Exception {
    BufferedImage apart = page(CHINESE, 26, "Noto Sans CJK SC", 2.0);
    long before = ON_LINES.get();
    assertThat(read(on, apart)).isEqualTo(read(off, apart)).hasSize(CHINESE.length);
    assertThat(ON_LINES.get() - before).as("boxes apart: one pass").isEqualTo(CHINESE.length);

    BufferedImage tight = page(CHINESE, 26, "Noto Sans CJK SC", TIGHT);
    OcrRequest frame = new OcrRequest(TextImages.toRgb(tight), null, OcrRequest.Mode.SUBTITLE, 0f, false, null);
    before = ON_LINES.get();
    List<TextLine> withOn = on.pipeline().recognize(frame).get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS).lines();
    assertThat(ON_LINES.get() - before).as("a video frame: one pass").isEqualTo(CHINESE.length);
    assertThat(withOn).isEqualTo(off.pipeline().recognize(frame).get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS).lines());
  }

  @Test
  void verify_lightTextOnDark_keepsItsDetectedCrop() throws Exception {
    String[] lines = {"which may help enlighten new users.", "not meant to be executed in this order."};
    BufferedImage frame = page(lines, 20, "DejaVu Sans", TIGHT, new Color(30, 30, 60), Color.WHITE);
    List<TextLine> withOn = read(on, frame);
    List<TextLine> withOff = read(off, frame);
    assertThat(withOn).isEqualTo(withOff);
    assertThat(withOff).hasSize(lines.length);
  }

  /** One image read with the setting on and off, and the recognition items the read with it on took. */
  private record OnAndOff(List<TextLine> withOn, List<TextLine> withOff, long items) {}

  private static OnAndOff onAndOff(BufferedImage image) throws Exception {
    long before = ON_LINES.get();
    List<TextLine> withOn = read(on, image);
    long items = ON_LINES.get() - before;
    return new OnAndOff(withOn, read(off, image), items);
  }

  private static List<TextLine> read(OcrModule module, BufferedImage image) throws Exception {
    return module.pipeline().recognize(OcrRequest.of(TextImages.toRgb(image)))
        .get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS).lines();
  }

  /** Black lines of text on a white page, {@code pitch} times the font size apart. */
  private static BufferedImage page(String[] lines, int size, String family, double pitch) {
    return page(lines, size, family, pitch, Color.WHITE, Color.BLACK);
  }

  private static BufferedImage page(String[] lines, int size, String family, double pitchToSize, Color bg, Color fg) {
    Font font = TextImages.requireFont(family, Font.PLAIN, size, "fonts-dejavu-core fonts-noto-cjk");
    int pitch = (int) Math.round(size * pitchToSize);
    BufferedImage img = new BufferedImage(1000, 40 + pitch * lines.length, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(bg);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(fg);
    g.setFont(font);
    for (int i = 0; i < lines.length; i++) {
      g.drawString(lines[i], 30, 20 + pitch * i + size);
    }
    g.dispose();
    return img;
  }

  /** The shipped model set with {@code recognition.latin_unclip_ratio} set (a copy of model.yaml). */
  private static OcrModule module(String name, float latinUnclipRatio, AtomicLong lines) throws Exception {
    BatchListener count = new BatchListener() {
      @Override
      public void onBatch(int size, long inferenceNanos, double paddingRatio) {
        lines.addAndGet(size);
      }
    };
    return SharedPipeline.withModelYaml(dir.resolve(name), yaml -> {
      String changed = yaml.replaceFirst("(?m)^  latin_unclip_ratio: .*$", "  latin_unclip_ratio: " + latinUnclipRatio);
      assertThat(changed).as("model.yaml sets recognition.latin_unclip_ratio")
          .contains("latin_unclip_ratio: " + latinUnclipRatio);
      return changed;
    }, count);
  }
}
