package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.testing.BurnedFrame;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.vision.RgbImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subtitle read's detector sees the strip at its own aspect ratio. A subtitle band of a 720p
 * frame is 1280 × 135–147 pixels; the model's resize (0.75) makes it 960 × 101–110, which
 * rounding to the nearest multiple of 32 would squash to 96 rows. Over cellauto's coarse cells
 * the squashed input lost a three-letter subtitle (36 px DejaVu Sans, libass) in every one of
 * these crops; padded to 128 rows, it is found.
 */
class DetectionAspectTest {
  @TempDir Path dir;

  @Test
  void verify_shortBandOfA720pFrame_shortWordOverCoarseTexture_isDetected() throws Exception {
    RgbImage frame = TextImages.toRgb(ImageIO.read(burn("the").toFile()));
    for (int top : List.of(573, 576, 580)) {
      RgbImage band = frame.crop(0, top, 1280, 720 - top);
      OcrResult r = SharedPipeline.read(new OcrRequest(band, null, OcrRequest.Mode.SUBTITLE, 0f, false, null));
      List<String> texts = r.lines().stream().map(TextLine::getText).toList();
      assertThat(texts).as("rows %d-720", top).hasSize(1);
      assertThat(texts.get(0).replaceAll("[^A-Za-z]", "")).as("rows %d-720: %s", top, texts).isEqualTo("the");
    }
  }

  /** Cellauto at 1280x720 at 5.2 s (frame 130) with {@code text} burned in at the bottom. */
  private Path burn(String text) throws Exception {
    return BurnedFrame.burn(dir, "cellauto=s=1280x720:r=25:rule=110:seed=3,trim=start=5.2", text,
        "FontName=DejaVu Sans,FontSize=14,PrimaryColour=&H00FFFFFF&,OutlineColour=&H00000000&,BorderStyle=1,"
            + "Outline=2,Shadow=2,MarginV=12,Alignment=2");
  }
}
