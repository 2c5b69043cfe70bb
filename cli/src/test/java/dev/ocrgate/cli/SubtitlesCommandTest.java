package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.ExternalTools;
import dev.ocrgate.server.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ocrgate subtitles} end to end with a real ffmpeg and a real TLS server whose OCR stand-in
 * reads colours: the bottom band of the test video is black, then red (1.0–2.4 s), black, then
 * blue (3.0–4.0 s), under a white top part that the ROI crop must exclude.
 */
class SubtitlesCommandTest {
  private static final Pattern SRT_CUE =
      Pattern.compile("(\\d+)\\n(\\d\\d):(\\d\\d):(\\d\\d),(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d),(\\d{3})\\n([^\\n]+)\\n\\n");

  @TempDir static Path dir;
  static Path video;
  static OcrgateServer server;
  static ColorOcrService ocr = new ColorOcrService();

  @BeforeAll
  static void setUp() throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    ExternalTools.require("ffprobe", "ffmpeg");
    video = dir.resolve("colours.mkv");
    Process p = new ProcessBuilder(
        ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "color=c=white:s=160x120:d=4:r=25",
        "-f", "lavfi", "-i", "color=c=black:s=160x30:d=4:r=25",
        "-f", "lavfi", "-i", "color=c=red:s=160x30:d=4:r=25",
        "-f", "lavfi", "-i", "color=c=blue:s=160x30:d=4:r=25",
        "-filter_complex",
        "[0][1]overlay=0:90[a];[a][2]overlay=0:90:enable='between(t,1,2.39)'[b];[b][3]overlay=0:90:enable='between(t,3,4)'",
        "-c:v", "ffv1", video.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();

    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 0;
    TestTls.certs().applyTo(config.tls);
    server = OcrgateServer.builder(config).addInterceptor(ColorOcrService.requireToken()).addService(ocr).build().start();
  }

  @AfterAll
  static void tearDown() {
    if (server != null) {
      server.shutdownGracefully();
    }
  }

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(SubtitlesCommand cmd, String... args) {
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    cmd.terminal = false;
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--target", "127.0.0.1:" + server.port(), "--ca", TestTls.certs().caCert().toString()));
    return new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).execute(all.toArray(String[]::new));
  }

  @Test
  void verify_subtitles_writesCuesOfTheCroppedBand_withinOneFrameInterval() throws Exception {
    Path srt = dir.resolve("out.srt");

    int exit = run(new SubtitlesCommand(), video.toString(), "-o", srt.toString(), "--fps", "5",
        "--roi", "0,0.75,1,0.25", "--token", ColorOcrService.TOKEN);

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    Matcher m = SRT_CUE.matcher(Files.readString(srt));
    List<long[]> times = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    while (m.find()) {
      times.add(new long[] {ms(m, 2), ms(m, 6)});
      texts.add(m.group(10));
    }
    assertThat(texts).containsExactly("RED", "BLUE");
    assertThat(times.get(0)[0]).isBetween(1000L - 200, 1000L + 200);
    assertThat(times.get(0)[1]).isBetween(2400L - 200, 2400L + 200);
    assertThat(times.get(1)[0]).isBetween(3000L - 200, 3000L + 200);
    assertThat(times.get(1)[1]).isBetween(4000L - 200, 4000L + 200);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("subtitles: 100% of 00:04").contains("2 cues written");
  }

  @Test
  void verify_vttToStdout_andWholeFrameRoi_readsTheWhiteTopToo() throws Exception {
    SubtitlesCommand cmd = new SubtitlesCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);

    int exit = run(cmd, video.toString(), "--format", "vtt", "--fps", "5", "--roi", "0,0,1,0.5", "--token", ColorOcrService.TOKEN);

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.000\nWHITE\n\n");
  }

  @Test
  void verify_roi_cropsInFfmpeg_andSendsTheCropAsTheRegionToRead() throws Exception {
    int exit = run(new SubtitlesCommand(), video.toString(), "-o", dir.resolve("roi.srt").toString(),
        "--roi", "0,0.75,1,0.25", "--token", ColorOcrService.TOKEN);

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(ocr.lastConfig.hasRegion()).isTrue();
    assertThat(ocr.lastConfig.getRegion().getNormalized().getHeight()).isEqualTo(1f);
    assertThat(new int[] {ocr.lastWidth, ocr.lastHeight}).containsExactly(160, 30);
  }

  @Test
  void verify_noRoi_sendsWholeFrames_andNoRegion_soTheServerFindsTheSubtitles() throws Exception {
    int exit = run(new SubtitlesCommand(), video.toString(), "-o", dir.resolve("whole.srt").toString(),
        "--token", ColorOcrService.TOKEN);

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(ocr.lastConfig.hasRegion()).isFalse();
    assertThat(ocr.lastConfig.getMode()).isEqualTo(dev.ocrgate.api.v1.StreamMode.STREAM_MODE_SUBTITLE);
    assertThat(new int[] {ocr.lastWidth, ocr.lastHeight}).containsExactly(160, 120);
  }

  @Test
  void verify_missingFfmpeg_saysSoClearly_andExits3() {
    SubtitlesCommand cmd = new SubtitlesCommand();
    cmd.ffprobe = "/nonexistent/ffprobe";

    int exit = run(cmd, video.toString(), "--token", ColorOcrService.TOKEN);

    assertThat(exit).isEqualTo(SubtitlesCommand.EXIT_NO_FFMPEG);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not installed").contains("apt-get install ffmpeg");
  }

  @Test
  void verify_stillImage_isRefusedWithAPointerToRecognize_notZeroCues() throws Exception {
    Path still = dir.resolve("still.png");
    Process p = new ProcessBuilder(ExternalTools.require("ffmpeg", "ffmpeg"), "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "color=c=white:s=160x120", "-frames:v", "1", still.toString())
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();

    int exit = run(new SubtitlesCommand(), still.toString(), "--token", ColorOcrService.TOKEN);

    assertThat(exit).isEqualTo(SubtitlesCommand.EXIT_FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is a still image").contains("ocrgate recognize");
  }

  @Test
  void verify_wrongToken_failsWithTheServerStatus() {
    int exit = run(new SubtitlesCommand(), video.toString(), "--token", "wrong");

    assertThat(exit).isEqualTo(SubtitlesCommand.EXIT_FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("UNAUTHENTICATED").doesNotContain("wrong");
  }

  @Test
  void verify_badRoi_isAUsageError() {
    int exit = run(new SubtitlesCommand(), video.toString(), "--roi", "0,0.8,1,0.5");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty(); // picocli prints usage errors itself
  }

  @Test
  void verify_severalVideos_twoAtATime_eachWritesItsOwnFile_overOneClient() throws Exception {
    Path second = dir.resolve("again.mkv");
    Files.copy(video, second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path outDir = dir.resolve("several");

    int exit = run(new SubtitlesCommand(), video.toString(), second.toString(), "--output-dir", outDir.toString(),
        "--jobs", "2", "--roi", "0,0.75,1,0.25", "--token", ColorOcrService.TOKEN);

    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(log).isZero();
    for (String name : List.of("colours.srt", "again.srt")) {
      List<String> texts = new ArrayList<>();
      Matcher m = SRT_CUE.matcher(Files.readString(outDir.resolve(name)));
      while (m.find()) {
        texts.add(m.group(10));
      }
      assertThat(texts).as(name).containsExactly("RED", "BLUE");
    }
    assertThat(log).contains("subtitles: colours.mkv: 2 cues written to " + outDir.resolve("colours.srt"))
        .contains("subtitles: again.mkv: 2 cues written to " + outDir.resolve("again.srt"))
        .contains("subtitles: 2 of 2 videos done");
  }

  @Test
  void verify_severalVideos_oneBad_theOthersAreStillWritten_andTheExitSaysFailed() throws Exception {
    Path bad = dir.resolve("not-a-video.mkv");
    Files.writeString(bad, "this is text, not a video");
    Path outDir = dir.resolve("one-bad");

    int exit = run(new SubtitlesCommand(), bad.toString(), video.toString(), "--output-dir", outDir.toString(),
        "--format", "vtt", "--roi", "0,0.75,1,0.25", "--token", ColorOcrService.TOKEN);

    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(log).isEqualTo(SubtitlesCommand.EXIT_FAILED);
    assertThat(Files.readString(outDir.resolve("colours.vtt"))).startsWith("WEBVTT").contains("RED").contains("BLUE");
    assertThat(outDir.resolve("not-a-video.vtt")).doesNotExist();
    assertThat(log).contains("ocrgate subtitles: not-a-video.mkv: ").contains("subtitles: 1 of 2 videos done, 1 failed");
  }

  @Test
  void verify_oneVideo_intoAnOutputDirThatDoesNotExistYet_isWrittenThere() throws Exception {
    Path outDir = dir.resolve("made/by/the/command");

    int exit = run(new SubtitlesCommand(), video.toString(), "--output-dir", outDir.toString(),
        "--roi", "0,0.75,1,0.25", "--token", ColorOcrService.TOKEN);

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(Files.readString(outDir.resolve("colours.srt"))).contains("RED").contains("BLUE");
  }

  @Test
  void verify_severalVideos_usageErrors_exit2_beforeAnyWork() throws Exception {
    Path other = Files.createDirectories(dir.resolve("elsewhere")).resolve("colours.mkv");
    Files.copy(video, other, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path outDir = dir.resolve("never");

    assertThat(usageError(video.toString(), video.toString())).contains("2 videos need --output-dir");
    assertThat(usageError(video.toString(), "-o", "a.srt", "--output-dir", outDir.toString())).contains("exclude each other");
    assertThat(usageError(video.toString(), other.toString(), "--output-dir", outDir.toString()))
        .contains("would both write " + outDir.resolve("colours.srt"));
    assertThat(usageError(video.toString(), "--jobs", "0")).contains("--jobs must be in 1..8");
    assertThat(usageError(video.toString(), "--jobs", "9")).contains("--jobs must be in 1..8");
    assertThat(outDir).doesNotExist();
  }

  /** Runs a command line that picocli must refuse; returns what it printed. */
  private String usageError(String... args) {
    java.io.StringWriter usage = new java.io.StringWriter();
    SubtitlesCommand cmd = new SubtitlesCommand();
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--token", ColorOcrService.TOKEN, "--target", "127.0.0.1:" + server.port(),
        "--ca", TestTls.certs().caCert().toString()));
    int exit = new CommandLine(cmd).setErr(new java.io.PrintWriter(usage, true)).execute(all.toArray(String[]::new));
    assertThat(exit).as(usage.toString()).isEqualTo(2);
    return usage.toString();
  }

  private static long ms(Matcher m, int g) {
    return ((Long.parseLong(m.group(g)) * 60 + Long.parseLong(m.group(g + 1))) * 60 + Long.parseLong(m.group(g + 2))) * 1000
        + Long.parseLong(m.group(g + 3));
  }
}
